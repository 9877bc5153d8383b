import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Temporal } from 'temporal-polyfill';
import { htmlOf, HTMX, isFullPage } from '../utils/html.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * `/dashboard`: the figures of `/api/stats` as server-drawn SVG charts, each followed by its table; a GET form that
 * htmx swaps; messages next to the fields with the input kept; a therapist sees only their own figures.
 */
describe('/dashboard', () => {
  let t: TestApp;
  const s = schedulingHelpers(() => t);
  let ada: number;
  const lastWeek = Temporal.Now.plainDateISO('UTC').subtract({ days: 7 });
  const monday = lastWeek.subtract({ days: lastWeek.dayOfWeek - 1 });
  const range = `from=${monday.toString()}&to=${monday.add({ days: 6 }).toString()}&group_by=week`;

  beforeAll(async () => {
    t = await createTestApp();
    const hours = [{ weekday: 1, start: '09:00', end: '17:00' }];
    ada = (await s.therapistWith(hours, { name: 'Ada Dashboard' })).id;
    const ben = (await s.therapistWith(hours, { name: 'Ben Dashboard' })).id;
    const first = await s.booked({ therapist: ada, date: `${monday.toString()}T09:00:00Z` });
    await s.booked({ therapist: ada, date: `${monday.toString()}T10:00:00Z` });
    await s.booked({ therapist: ben, date: `${monday.toString()}T09:00:00Z` });
    await t.http.patch(`/api/sessions/${first}`).send({ status: 'Completed' }).expect(200);
  });
  afterAll(() => t.close());

  it('draws each chart as an accessible SVG followed by its data table, with the freshness stated', async () => {
    const response = await t.http.get(`/dashboard?${range}`).expect(200);
    expect(isFullPage(response)).toBe(true);
    expect(response.headers.vary).toMatch(/HX-Request/);
    const $ = htmlOf(response);
    expect($('#freshness').text()).toMatch(/Exact and immediate/);
    expect($('nav a[href="/dashboard"]').attr('aria-current')).toBe('page');
    const charts = $('svg[role="img"]');
    expect(charts).toHaveLength(2);
    charts.each((_, chart) => {
      expect($(chart).find('title').first().text()).not.toBe('');
      expect($(chart).find('desc').text()).not.toBe('');
      expect($(chart).closest('figure').next('.table-scroll').find('table')).toHaveLength(1);
    });
    // Completed, and Scheduled (two: Ada's second and Ben's): one stacked bar of two segments.
    expect($('#chart-status-desc').text()).toMatch(/3 sessions/);
    expect($('svg rect title').first().text()).toMatch(/1 completed/);
    const total = $('table').first().find('tfoot td');
    expect(total.map((_, cell) => $(cell).text()).get()).toEqual(['3', '1', '2', '0', '0', '0']);
    const therapists = $('table').last().find('tbody th');
    expect(therapists.map((_, cell) => $(cell).text()).get()).toEqual(['Ada Dashboard', 'Ben Dashboard']);
    const utilisation = $('table').eq(1).find('tfoot td');
    expect(utilisation.map((_, cell) => $(cell).text()).get()).toEqual(['2.5', '16.0', '15.6 %']);
  });

  it('answers htmx with the figures alone', async () => {
    const response = await t.http.get(`/dashboard?${range}&therapist_id=${ada}`).set(HTMX).expect(200);
    expect(isFullPage(response)).toBe(false);
    const $ = htmlOf(response);
    expect($('table').last().find('tbody th').text()).toBe('Ada Dashboard');
    expect($('form')).toHaveLength(0);
  });

  it('shows what is wrong next to the field and keeps the input', async () => {
    const response = await t.http.get('/dashboard?from=2026-03-01&to=2026-02-01').expect(400);
    const $ = htmlOf(response);
    expect($('#to-error').text()).toBe('to must not be before from');
    expect($('input[name="to"]').attr('aria-invalid')).toBe('true');
    expect($('input[name="from"]').val()).toBe('2026-03-01');
    expect($('svg[role="img"]')).toHaveLength(0);
    const malformed = htmlOf(await t.http.get('/dashboard?from=2026-02-30').expect(400));
    expect(malformed('#from-error').text()).toMatch(/real calendar date/);
    expect(malformed('input[name="from"]').val()).toBe('2026-02-30');
  });

  it('shows a therapist only their own figures, with no therapist to choose', async () => {
    const therapist = await t.signIn('therapist', { therapistId: ada });
    const $ = htmlOf(await therapist.get(`/dashboard?${range}`).expect(200));
    expect($('select[name="therapist_id"]')).toHaveLength(0);
    expect(
      $('table')
        .last()
        .find('tbody th')
        .map((_, cell) => $(cell).text())
        .get(),
    ).toEqual(['Ada Dashboard']);
    expect($('table').first().find('tfoot td').first().text()).toBe('2');
  });
});
