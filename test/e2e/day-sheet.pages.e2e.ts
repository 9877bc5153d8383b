import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, isFullPage, textsOf } from '../utils/html.js';
import { signInAs, createTestUser } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The day sheet: a day's sessions in a column per therapist at work, their hours, time away and check-ins. */

/** A Monday far enough ahead that nothing else of the suite lands on it (the clinic's zone is UTC here). */
const MONDAY = '2031-03-10';
const at = (time: string, date = MONDAY): Date => new Date(`${date}T${time}:00Z`);

describe('day sheet', () => {
  let t: TestApp;
  let reed: Therapist;
  let shah: Therapist;
  let resting: Therapist;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'UTC' });
    const em = t.em();
    reed = await createTherapist(em, { name: 'Dr Reed' });
    shah = await createTherapist(em, { name: 'Dr Shah' });
    resting = await createTherapist(em, { name: 'Dr Rest' });
    em.create(WorkingHours, { therapist: reed, weekday: 1, startMinute: 9 * 60, endMinute: 17 * 60 });
    em.create(WorkingHours, { therapist: shah, weekday: 1, startMinute: 12 * 60, endMinute: 19 * 60 });
    em.create(WorkingHours, { therapist: resting, weekday: 2, startMinute: 9 * 60, endMinute: 17 * 60 });
    em.create(TimeOff, { therapist: shah, startsAt: at('15:00'), endsAt: at('17:00'), reason: 'Dentist' });
    em.create(Closure, { startsOn: '2031-03-11', endsOn: '2031-03-11', name: 'Founders Day' });
    await em.flush();
    await createSession(em, {
      therapist: reed,
      patient: await createPatient(em, { name: 'Jordan Lee' }),
      startsAt: at('10:00'),
    });
    await createSession(em, {
      therapist: shah,
      patient: await createPatient(em, { name: 'Ana Ruiz' }),
      startsAt: at('12:00'),
      status: SessionStatus.Cancelled,
      statusReason: 'Unwell',
    });
  });
  afterAll(() => t.close());

  it('shows a column per therapist working that day, with their hours, sessions and time off', async () => {
    const response = await t.http.get(`/day?date=${MONDAY}`).expect(200);
    expect(isFullPage(response)).toBe(true);
    expect(response.headers.vary).toMatch(/HX-Request/i);
    const $ = htmlOf(response);
    expect(textsOf($, '.day-column .day-head strong')).toEqual(['Dr Reed', 'Dr Shah']);
    const reedColumn = $('.day-column[aria-label="Dr Reed"]');
    expect(reedColumn.find('.day-head small').text()).toBe('09:00–17:00');
    expect(reedColumn.find('.day-session-patient').text()).toBe('Jordan Lee');
    expect(reedColumn.find('.day-session-time').text()).toBe('10:00–10:50');
    expect(reedColumn.find('.day-session-link').attr('href')).toMatch(/^\/sessions\/\d+$/);
    expect(reedColumn.find('.day-off').length).toBeGreaterThan(0);
    expect(reedColumn.find('.day-gap-link').first().attr('href')).toBe(
      `/sessions/new?therapist_id=${reed.id}&date=${MONDAY}T09%3A00`,
    );
    const shahColumn = $('.day-column[aria-label="Dr Shah"]');
    expect(shahColumn.find('.day-away .day-away-label').text()).toBe('Dentist');
    expect(shahColumn.find('.day-session.is-cancelled .badge-cancelled').text()).toBe('Cancelled');
    expect(shahColumn.find('.day-count').text()).toBe('0');
    // Not today: nothing to check in, no "now" line.
    expect($('.day-check-in')).toHaveLength(0);
    expect($('.day-now')).toHaveLength(0);
    expect($('#day-date').val()).toBe(MONDAY);
  });

  it('answers htmx with the sheet alone, and links the days around', async () => {
    const response = await t.http.get(`/day?date=${MONDAY}`).set(HTMX).expect(200);
    expect(isFullPage(response)).toBe(false);
    expect(response.headers.vary).toMatch(/HX-Request/i);
    const $ = htmlOf(response);
    expect($('a[rel="prev"]').attr('href')).toBe('/day?date=2031-03-09');
    expect($('a[rel="next"]').attr('href')).toBe('/day?date=2031-03-11');
    expect($('a[rel="next"]').attr('hx-push-url')).toBe('true');
    expect($('.day-column')).toHaveLength(2);
  });

  it('marks a closed day across every column with its name', async () => {
    const $ = htmlOf(await t.http.get('/day?date=2031-03-11').expect(200));
    expect(textsOf($, '.day-column .day-head strong')).toEqual(['Dr Rest']);
    expect($('.day-away.is-closure .day-away-label').text()).toBe('Founders Day');
    expect($('.day-gap-link')).toHaveLength(0);
  });

  it.each(['2031-02-30', 'tomorrow', '10/03/2031'])(
    'refuses the date %s with a 400 and the text kept',
    async (date) => {
      const $ = htmlOf(await t.http.get(`/day?date=${encodeURIComponent(date)}`).expect(400));
      expect($('#day-date').val()).toBe(date);
      expect($('#day-date').attr('aria-invalid')).toBe('true');
      expect($('#day-date-error').text()).toContain('YYYY-MM-DD');
      expect($('.day-column')).toHaveLength(0);
    },
  );

  it('opens on today, with check-in for today’s sessions, the arrival badge and the "now" line', async () => {
    const em = t.em();
    const today = new Date().toISOString().slice(0, 10);
    const now = Date.now();
    const startsAt = new Date(
      Math.max(Date.parse(`${today}T00:00:00Z`), Math.floor(now / 3_600_000) * 3_600_000),
    );
    const waiting = await createSession(em, {
      startsAt,
      patient: await createPatient(em, { name: 'Wai Ting' }),
    });
    const page = htmlOf(await t.http.get('/day').expect(200));
    expect(page('#day-date').val()).toBe(today);
    expect(page('.day-now')).toHaveLength(1);
    const block = page(`#session-${waiting.id}`);
    expect(block.find('form.day-check-in').first().attr('action')).toBe(`/sessions/${waiting.id}/check-in`);
    expect(block.find('input[name="return_to"]').first().val()).toBe(`/day?date=${today}`);

    await t.http
      .post(`/sessions/${waiting.id}/check-in`)
      .type('form')
      .send({ return_to: `/day?date=${today}` })
      .expect(303)
      .expect('Location', `/day?date=${today}#session-${waiting.id}`);
    const after = htmlOf(await t.http.get(`/day?date=${today}`).expect(200));
    expect(after(`#session-${waiting.id} .day-badge-arrived`).first().text()).toMatch(
      /^✓ Arrived \d\d:\d\d$/,
    );
    expect(after(`#session-${waiting.id} form.day-check-in`).first().attr('action')).toBe(
      `/sessions/${waiting.id}/check-in/undo`,
    );
  });

  it('shows a therapist their own column only', async () => {
    const agent = await t.signIn('therapist', { therapistId: shah.id });
    const $ = htmlOf(await agent.get(`/day?date=${MONDAY}`).expect(200));
    expect(textsOf($, '.day-column .day-head strong')).toEqual(['Dr Shah']);
    expect($.html()).not.toContain('Jordan Lee');
  });

  it('is where / goes and where a sign-in lands, unless another page was asked for', async () => {
    await t.http.get('/').expect(302).expect('Location', '/day');
    const user = await createTestUser(t.em(), 'receptionist');
    const agent = await signInAs(t.app.getHttpServer(), user.email);
    expect((await agent.get('/day').expect(200)).text).toContain('Day sheet');
    const fresh = (await import('supertest')).default.agent(t.app.getHttpServer());
    const form = await fresh.get('/login?next=%2Fcalendar').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
    await fresh
      .post('/login?next=%2Fcalendar')
      .type('form')
      .send({ email: user.email, password: 'correct horse battery staple', _csrf: csrf })
      .expect(303)
      .expect('Location', '/calendar');
    const plain = (await import('supertest')).default.agent(t.app.getHttpServer());
    const plainForm = await plain.get('/login').expect(200);
    await plain
      .post('/login')
      .type('form')
      .send({
        email: user.email,
        password: 'correct horse battery staple',
        _csrf: /name="_csrf" value="([^"]+)"/.exec(plainForm.text)?.[1],
      })
      .expect(303)
      .expect('Location', '/day');
  });
});
