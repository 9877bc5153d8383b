import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Patient } from '../../src/patients/patient.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { Session } from '../../src/sessions/session.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, isFullPage, rowFragmentOf, textsOf } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const XSS = '<script>alert(1)</script>';

// Module-level so that the two 'session pages' blocks below share one arrangement, each on an app of its own.
let t: TestApp;
let maya: Therapist;
let omar: Therapist;
let jordan: Patient;
let evil: Patient;
let sessions: Session[];

async function arrangePractice(): Promise<void> {
  t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin', CLINIC_NAME: 'Test Practice' });
  const em = t.em();
  maya = await createTherapist(em, { name: 'Maya Chen' });
  omar = await createTherapist(em, { name: 'Omar Haddad' });
  jordan = await createPatient(em, { name: 'Jordan Lee' });
  evil = await createPatient(em, { name: XSS });
  sessions = [];
  // 30 sessions for Maya and Jordan, one a day from 1 Nov 2025 at 09:00 UTC (10:00 in Berlin).
  for (let day = 0; day < 30; day++) {
    sessions.push(
      await createSession(em, {
        therapist: maya,
        patient: jordan,
        startsAt: new Date(Date.UTC(2025, 10, 1 + day, 9)),
        status: day < 5 ? SessionStatus.Completed : SessionStatus.Scheduled,
      }),
    );
  }
  sessions.push(
    await createSession(em, { therapist: omar, patient: evil, startsAt: new Date('2025-11-19T15:00:00Z') }),
  );
}

const session = (index: number): Session => {
  const found = sessions[index];
  if (!found) throw new Error(`no session ${index}`);
  return found;
};

// The list reads the arrangement as it was made; the tests that change sessions run on another app.
describe('session pages', () => {
  beforeAll(arrangePractice);
  afterAll(() => t.close());

  describe('list', () => {
    it('has an icon: linked from every page, and at /favicon.ico for browsers that ask there', async () => {
      const page = await t.http.get('/sessions').expect(200);
      expect(htmlOf(page)('link[rel=icon]').attr('href')).toBe('/assets/favicon.svg');
      for (const path of ['/assets/favicon.svg', '/favicon.ico']) {
        const icon = await t.anonymous.get(path).expect(200);
        expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
      }
    });

    it('redirects the home page to the day sheet', async () => {
      await t.http.get('/').expect(302).expect('Location', '/day');
    });

    it('renders the whole page for a browser, with the layout, filters and first page of results', async () => {
      // An emptied From: every date (the bare URL opens on upcoming sessions, and these are all in 2025).
      const response = await t.http.get('/sessions?from=').expect(200);
      expect(isFullPage(response)).toBe(true);
      expect(response.headers.vary).toMatch(/HX-Request/i);
      const $ = htmlOf(response);
      expect($('title').text()).toBe('Sessions · Test Practice');
      expect(textsOf($, 'header nav a')).toEqual([
        'Test Practice',
        'Day',
        'Sessions',
        'Calendar',
        'Dashboard',
        'Therapists',
        'Patients',
        'Waitlist',
        // The desk's and an admin's: the clinic's closures.
        'Closures',
        // An admin's: user administration, and their own name, which leads to their password.
        'Users',
        'Audit',
        'Test admin',
      ]);
      expect($('form#filters input[name=q]').length).toBe(1);
      expect($('tbody tr').length).toBe(25);
      expect($('th[aria-sort=ascending]').text()).toContain('Date and time');
      expect($('.result-count').text()).toBe('Showing 1–25 of 31');
      const firstCell = $('tbody tr:first-child td').first();
      expect(firstCell.find('a').text()).toBe('Sat 1 Nov · 10:00–10:50');
      expect(firstCell.find('a').attr('title')).toBe('Sat, 1 Nov 2025');
      expect(firstCell.find('small').text()).toBe('CET');
    });

    it('answers an htmx request with only the results fragment', async () => {
      const response = await t.http.get('/sessions?q=omar').set(HTMX).expect(200);
      expect(isFullPage(response)).toBe(false);
      expect(response.text).not.toContain('<form id="filters"');
      expect(response.headers.vary).toMatch(/HX-Request/i);
      const $ = htmlOf(response);
      expect($('tbody tr').length).toBe(1);
      expect($('input[name=sort][form=filters]').val()).toBe('date');
    });

    it.each([
      ['q=haddad', 1],
      ['status=Completed', 5],
      ['therapist_id=OMAR', 1],
      ['patient_id=JORDAN&page_size=50', 30],
      ['from=2025-11-19&to=2025-11-19', 2],
      ['from=2025-11-29', 2],
    ])('applies %s', async (query, rows) => {
      const resolved = query.replace('OMAR', String(omar.id)).replace('JORDAN', String(jordan.id));
      const $ = htmlOf(await t.http.get(`/sessions?${resolved}`).expect(200));
      expect($('tbody tr').length).toBe(rows);
    });

    it('keeps a page size the selector does not list (a shared API-style link) selected', async () => {
      const $ = htmlOf(await t.http.get('/sessions?page_size=7').expect(200));
      expect($('tbody tr').length).toBe(7);
      expect($('select[name=page_size] option[selected]').text()).toBe('7');
    });

    it('treats empty filter fields, as a plain form sends them, as no filter', async () => {
      const $ = htmlOf(
        await t.http.get('/sessions?q=&status=&therapist_id=&patient_id=&from=&to=&page_size=10').expect(200),
      );
      expect($('tbody tr').length).toBe(10);
      expect($('select[name=page_size] option[selected]').text()).toBe('10');
    });

    it('sorts by a column header and marks it with aria-sort', async () => {
      const $ = htmlOf(await t.http.get('/sessions?sort=patient&order=desc').expect(200));
      expect($('th[aria-sort=descending]').text()).toContain('Patient');
      expect(textsOf($, 'tbody tr:first-child td')[2]).toBe('Jordan Lee');
      expect(
        $('th a')
          .filter((_, a) => $(a).text().includes('Patient'))
          .attr('href'),
      ).toBe('/sessions?sort=patient');
    });

    it('goes to page 2 and links back to page 1 with the same filters', async () => {
      const $ = htmlOf(await t.http.get('/sessions?status=Scheduled&page=2&page_size=10').expect(200));
      expect($('.result-count').text()).toBe('Showing 11–20 of 26');
      expect($('a[rel=prev]').attr('href')).toBe('/sessions?status=Scheduled&page_size=10');
      expect($('a[rel=next]').attr('href')).toBe('/sessions?status=Scheduled&page=3&page_size=10');
      expect($('.pagination a[aria-current=page]').text()).toBe('2');
    });

    it('says when nothing matches and offers to clear the filters', async () => {
      const $ = htmlOf(await t.http.get('/sessions?q=nobody').expect(200));
      expect($('.empty-state').text()).toContain('No sessions match these filters.');
      expect($('.empty-state a').attr('href')).toBe('/sessions');
    });

    it('shows invalid filter values inline with a 400', async () => {
      const response = await t.http.get('/sessions?page_size=500&from=someday').expect(400);
      const $ = htmlOf(response);
      expect(textsOf($, '.notice-error li').sort()).toEqual(
        [
          'from must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a time-zone offset, e.g. 2025-11-15T10:00:00Z',
          'page_size must not be greater than 100',
        ].sort(),
      );
      expect($('input[name=from]').val()).toBe('someday');
    });
  });
});

describe('session pages', () => {
  beforeAll(arrangePractice);
  afterAll(() => t.close());

  describe('inline status change', () => {
    it('swaps in the updated row for htmx', async () => {
      const target = session(10);
      const response = await t.http
        .post(`/sessions/${target.id}/status`)
        .set(HTMX)
        .type('form')
        .send({ status: 'Completed', return_to: '/sessions?page=2', version: '1' })
        .expect(200);
      const $ = rowFragmentOf(response);
      expect($('tr').attr('id')).toBe(`session-${target.id}`);
      expect($('.badge').text()).toBe('Completed');
      expect(textsOf($, 'button[name=status]')[0]).toContain('Reopen');
      expect($('input[name=return_to]').val()).toBe('/sessions?page=2');
    });

    it('redirects a plain form post back to the list it came from', async () => {
      await t.http
        .post(`/sessions/${session(11).id}/status`)
        .type('form')
        .send({ status: 'Completed', return_to: '/sessions?status=Scheduled', version: '1' })
        .expect(303)
        .expect('Location', '/sessions?status=Scheduled');
    });

    it('never redirects to another site', async () => {
      await t.http
        .post(`/sessions/${session(12).id}/status`)
        .type('form')
        .send({ status: 'Completed', return_to: '//evil.example/x', version: '1' })
        .expect(303)
        .expect('Location', '/sessions');
    });

    it('returns the row as it was, with the reason, when the change is refused', async () => {
      const target = session(13);
      const response = await t.http
        .post(`/sessions/${target.id}/status`)
        .set(HTMX)
        .type('form')
        .send({ status: 'Vanished' })
        .expect(400);
      const $ = rowFragmentOf(response);
      expect($('.badge').text()).toBe('Scheduled');
      expect($('.row-error').text()).toBe(
        'Not changed: status must be one of: Scheduled, Completed, Cancelled, Late-Cancelled, No-Show',
      );
      const stored = await t.em().findOneOrFail(Session, target.id);
      expect(stored.status).toBe(SessionStatus.Scheduled);
    });

    it('answers 404 with an HTML page for an unknown session', async () => {
      const response = await t.http
        .post('/sessions/999999/status')
        .type('form')
        .send({ status: 'Completed' })
        .expect(404);
      expect(htmlOf(response)('h1').text()).toBe('Resource not found');
    });
  });

  describe('new session form', () => {
    it('prefills therapist and time from the query (the calendar links here)', async () => {
      const $ = htmlOf(
        await t.http.get(`/sessions/new?therapist_id=${omar.id}&date=2025-12-01T10:00`).expect(200),
      );
      expect($('select[name=therapist_id] option[selected]').text()).toBe('Omar Haddad');
      expect($('input[name=date]').val()).toBe('2025-12-01T10:00');
      expect($('input[name=duration_minutes]').val()).toBe('50');
    });

    it('shows every error next to its field and keeps the input', async () => {
      const response = await t.http
        .post('/sessions')
        .type('form')
        .send({
          therapist_id: '',
          patient_id: String(jordan.id),
          date: '2025-12-01T10:00',
          duration_minutes: '500',
          notes: 'Bring forms',
        })
        .expect(400);
      const $ = htmlOf(response);
      expect($('#therapist_id-error').text()).toBe('Choose a therapist');
      expect($('#duration_minutes-error').text()).toBe('Duration (minutes) must not be greater than 240');
      expect($('select[name=therapist_id]').attr('aria-invalid')).toBe('true');
      expect($('select[name=patient_id] option[selected]').text()).toBe('Jordan Lee');
      expect($('input[name=duration_minutes]').val()).toBe('500');
      expect($('textarea[name=notes]').text()).toBe('Bring forms');
    });

    it('answers htmx with only the form fragment', async () => {
      const response = await t.http
        .post('/sessions')
        .set(HTMX)
        .type('form')
        .send({ therapist_id: String(maya.id) })
        .expect(400);
      expect(isFullPage(response)).toBe(false);
      expect(htmlOf(response)('form#session-form #date-error').text()).toBe('Enter a date and time');
    });

    it('refuses a local time that does not exist because the clocks go forward', async () => {
      const response = await t.http
        .post('/sessions')
        .type('form')
        .send({ therapist_id: String(maya.id), patient_id: String(jordan.id), date: '2026-03-29T02:30' })
        .expect(400);
      expect(htmlOf(response)('#date-error').text()).toBe(
        '2026-03-29 02:30 does not exist in Europe/Berlin: the clocks go forward then',
      );
    });

    it('books a valid session in the clinic time zone and goes to it', async () => {
      const response = await t.http
        .post('/sessions')
        .type('form')
        .send({
          therapist_id: String(omar.id),
          patient_id: String(jordan.id),
          date: '2025-12-02T10:00',
          duration_minutes: '60',
          notes: '',
        })
        .expect(303);
      const id = Number(/^\/sessions\/(\d+)$/.exec(String(response.headers.location))?.[1]);
      const stored = await t.em().findOneOrFail(Session, id);
      expect(stored.startsAt.toISOString()).toBe('2025-12-02T09:00:00.000Z');
      expect(stored.durationMinutes).toBe(60);
      expect(stored.notes).toBeNull();
    });

    it('sends htmx a full navigation to the new session', async () => {
      const response = await t.http
        .post('/sessions')
        .set(HTMX)
        .type('form')
        .send({ therapist_id: String(omar.id), patient_id: String(jordan.id), date: '2025-12-03T10:00' })
        .expect(200);
      expect(response.headers['hx-redirect']).toMatch(/^\/sessions\/\d+$/);
    });
  });

  describe('detail page', () => {
    it('shows the session in the clinic time zone with its edit form', async () => {
      const target = session(20);
      const $ = htmlOf(await t.http.get(`/sessions/${target.id}`).expect(200));
      expect($('h1').text()).toBe('Session on Fri, 21 Nov 2025');
      expect($('.session-summary').text()).toContain('10:00–10:50 CET');
      expect($('input[name=date]').val()).toBe('2025-11-21T10:00');
    });

    it('saves an edit and comes back to the page', async () => {
      const target = session(21);
      await t.http
        .post(`/sessions/${target.id}`)
        .type('form')
        .send({ date: '2025-11-22T14:30', duration_minutes: '45', notes: 'Moved', version: '1' })
        .expect(303)
        .expect('Location', `/sessions/${target.id}`);
      const stored = await t.em().findOneOrFail(Session, target.id);
      expect(stored.startsAt.toISOString()).toBe('2025-11-22T13:30:00.000Z');
      expect(stored.notes).toBe('Moved');
    });

    it('shows edit errors inline and keeps the input', async () => {
      const target = session(22);
      const response = await t.http
        .post(`/sessions/${target.id}`)
        .type('form')
        .send({ date: 'tomorrow', duration_minutes: '10', notes: 'x' })
        .expect(400);
      const $ = htmlOf(response);
      expect($('#date-error').text()).toBe('Enter a date and time');
      expect($('#duration_minutes-error').text()).toBe('Duration (minutes) must not be less than 15');
      expect($('input[name=date]').val()).toBe('tomorrow');
    });

    it('answers 404 with an HTML page', async () => {
      const $ = htmlOf(await t.http.get('/sessions/999999').expect(404));
      expect($('.error-page p').first().text()).toBe('Session 999999 does not exist.');
    });
  });

  describe('security headers over plain HTTP', () => {
    const directivesOf = (csp: string | undefined): string[] =>
      String(csp)
        .split(';')
        .map((directive) => directive.trim());

    it.each(['/sessions', '/assets/css/app.css', '/vendor/htmx/htmx.min.js', '/api/docs'])(
      '%s: a strict CSP that does not upgrade requests to HTTPS, and no HSTS (the TLS proxy sends it)',
      async (url) => {
        const response = await t.http.get(url).expect(200);
        const directives = directivesOf(response.headers['content-security-policy']);
        expect(directives).toContain("script-src 'self'");
        expect(directives).toContain("default-src 'self'");
        expect(directives).not.toContain('upgrade-insecure-requests');
        expect(response.headers['strict-transport-security']).toBeUndefined();
      },
    );
  });

  describe('escaping', () => {
    it('never renders a name as markup', async () => {
      const pages = [
        '/sessions',
        `/sessions?patient_id=${evil.id}`,
        `/sessions/${session(30).id}`,
        '/sessions/new',
        '/calendar?week=2025-11-17',
      ];
      for (const url of pages) {
        const response = await t.http.get(url).expect(200);
        expect(response.text).not.toContain(XSS);
        expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    });
  });
});

describe('calendar page', () => {
  let t: TestApp;
  let maya: Therapist;
  let omar: Therapist;
  let patientId: number;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
    const em = t.em();
    maya = await createTherapist(em, { name: 'Maya Chen' });
    omar = await createTherapist(em, { name: 'Omar Haddad' });
    const patient = await createPatient(em, { name: 'Jordan Lee' });
    patientId = patient.id;
    const otherPatient = await createPatient(em, { name: 'Sam Ortiz' });
    await createSession(em, { therapist: maya, patient, startsAt: new Date('2025-11-19T09:00:00Z') });
    await createSession(em, {
      therapist: omar,
      patient: otherPatient,
      startsAt: new Date('2025-11-19T09:30:00Z'),
      status: SessionStatus.Completed,
    });
    await createSession(em, { therapist: maya, patient, startsAt: new Date('2025-11-24T09:00:00Z') });
  });
  afterAll(() => t.close());

  it('shows Monday to Sunday with hours down the side and sessions as blocks in their slots', async () => {
    const response = await t.http.get('/calendar?week=2025-11-19').expect(200);
    const $ = htmlOf(response);
    expect(textsOf($, '.calendar-day-head')).toEqual([
      'Mon 17 Nov',
      'Tue 18 Nov',
      'Wed 19 Nov',
      'Thu 20 Nov',
      'Fri 21 Nov',
      'Sat 22 Nov',
      'Sun 23 Nov',
    ]);
    expect(textsOf($, '.calendar-hour')[0]).toBe('07:00');
    const blocks = $('.calendar-block');
    expect(blocks.length).toBe(2);
    // 10:00 Berlin is row 2 + (10 - 7) * 4 = 14, on Wednesday (column class day-3); the two overlap, so 2 lanes.
    expect(blocks.first().attr('class')).toContain('day-3 row-start-14 row-span-4 lanes-2 lane-0');
    expect(blocks.last().attr('class')).toContain('status-completed');
    // The whole text for hover and screen readers; the lane shows it whole or in short, as its width allows.
    expect(blocks.first().find('.visually-hidden').text()).toBe(
      'Wednesday 10:00–10:50: Jordan Lee with Maya Chen, Scheduled',
    );
    expect(blocks.first().attr('title')).toBe(blocks.first().find('.visually-hidden').text());
    const shown = (kind: string): string[] =>
      blocks
        .first()
        .find(kind)
        .toArray()
        .map((span) => $(span).text());
    expect(shown('.long')).toEqual(['10:00–10:50', 'Jordan Lee', 'Maya Chen']);
    expect(shown('.short')).toEqual(['10:00', 'JL', 'MC']);
    expect(textsOf($, '.calendar-legend li')).toContain('Completed');
  });

  it('filters by therapist, showing a past week as unavailable', async () => {
    const $ = htmlOf(await t.http.get(`/calendar?week=2025-11-19&therapist_id=${maya.id}`).expect(200));
    expect($('.calendar-block').length).toBe(1);
    expect($('a.calendar-slot').length).toBe(0);
    expect($('.calendar-slot.is-unavailable').length).toBe(7 * 14);
  });

  it('offers the free hours of a therapist, each linking to a prefilled new-session form', async () => {
    await t.http
      .put(`/api/therapists/${maya.id}/working-hours`)
      .send({ intervals: [{ weekday: 1, start: '09:00', end: '12:00' }] })
      .expect(200);
    await t.http
      .post('/api/sessions')
      .send({ therapist_id: maya.id, patient_id: patientId, date: '2031-11-17T10:00:00+01:00' })
      .expect(201);
    const $ = htmlOf(await t.http.get(`/calendar?week=2031-11-17&therapist_id=${maya.id}`).expect(200));
    const free = $('a.calendar-slot.is-free');
    // Monday 09:00–12:00 Berlin, one session 10:00–10:50 with a 10-minute buffer: 09:00 is free (09:00–09:50
    // ends exactly at the buffer's edge), nothing starting in the 10:00 hour fits, 11:00 is free (11:00–11:50).
    expect(free.map((_, a) => $(a).attr('href')).get()).toEqual([
      `/sessions/new?therapist_id=${maya.id}&date=2031-11-17T09%3A00`,
      `/sessions/new?therapist_id=${maya.id}&date=2031-11-17T11%3A00`,
    ]);
    expect(free.first().attr('aria-label')).toBe('Book Monday 17 November at 09:00');
  });

  it('moves a week at a time, keeping the therapist, as links pushed into the URL', async () => {
    const response = await t.http
      .get(`/calendar?week=2025-11-19&therapist_id=${maya.id}`)
      .set(HTMX)
      .expect(200);
    expect(isFullPage(response)).toBe(false);
    const $ = htmlOf(response);
    expect($('a[rel=next]').attr('href')).toBe(`/calendar?week=2025-11-24&therapist_id=${maya.id}`);
    expect($('a[rel=next]').attr('hx-push-url')).toBe('true');
    expect($('a[rel=prev]').attr('href')).toBe(`/calendar?week=2025-11-10&therapist_id=${maya.id}`);
    const next = htmlOf(await t.http.get(String($('a[rel=next]').attr('href'))).expect(200));
    expect(next('.calendar-block').length).toBe(1);
    expect(next('input[name=week]').val()).toBe('2025-11-24');
  });

  it('refuses an invalid week with a 400 and says why', async () => {
    const $ = htmlOf(await t.http.get('/calendar?week=2025-13-01').expect(400));
    expect($('.notice-error li').text()).toBe('week must be a real calendar date written as YYYY-MM-DD');
  });
});

describe('sessions list state', () => {
  let t: TestApp;
  let seriesId: number;
  let seriesSessionIds: number[];

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
    const em = t.em();
    const therapist = await createTherapist(em, { name: 'Maya Chen' });
    const patient = await createPatient(em, { name: 'Jordan Lee' });
    for (let day = 0; day < 12; day++) {
      await createSession(em, { therapist, patient, startsAt: new Date(Date.UTC(2025, 10, 1 + day, 9)) });
    }
    // A past series, so only overlaps are checked (no working hours needed).
    const booked = await t.http
      .post('/api/sessions/series')
      .send({
        therapist_id: therapist.id,
        patient_id: (await createPatient(em, { name: 'Sam Ortiz' })).id,
        date: '2024-03-04T10:00:00Z',
        frequency: 'weekly',
        occurrences: 3,
      })
      .expect(201);
    const data = (booked.body as { data: { id: number; series_id: number }[] }).data;
    seriesSessionIds = data.map((session) => session.id);
    seriesId = data[0]?.series_id ?? 0;
  });
  afterAll(() => t.close());

  const rowIdsOf = ($: ReturnType<typeof htmlOf>): number[] =>
    $('tbody tr')
      .toArray()
      .map((row) => Number(/^session-(\d+)$/.exec($(row).attr('id') ?? '')?.[1]));

  it('joins the sort order to the filter form and has the live search include it', async () => {
    const $ = htmlOf(await t.http.get('/sessions?sort=patient&order=desc').expect(200));
    expect($('#results input[type=hidden][form=filters][name=sort]').val()).toBe('patient');
    expect($('#results input[type=hidden][form=filters][name=order]').val()).toBe('desc');
    // htmx 4 collects only the form's descendants for "closest form" on a GET.
    expect($('#filters input[name=q]').attr('hx-include')).toBe('closest form, [form=filters]');
  });

  it('shows only the sessions of a series, with a chip that removes that filter and keeps the rest', async () => {
    const $ = htmlOf(
      await t.http.get(`/sessions?series_id=${seriesId}&sort=patient&page_size=10`).expect(200),
    );
    expect(rowIdsOf($).sort()).toEqual([...seriesSessionIds].sort());
    expect($('#results input[type=hidden][form=filters][name=series_id]').val()).toBe(String(seriesId));
    const chip = $('.filter-chips a.chip');
    expect(chip.text().replace(/\s+/g, ' ').trim()).toBe(`Series #${seriesId} ×`);
    expect(chip.attr('href')).toBe('/sessions?sort=patient&page_size=10');
    expect(chip.attr('hx-get')).toBe(chip.attr('href'));
    expect($('input[name=return_to]').first().val()).toBe(
      `/sessions?series_id=${seriesId}&sort=patient&page_size=10`,
    );
  });

  it('keeps the series in every sort and page link, and in the htmx fragment', async () => {
    const response = await t.http
      .get(`/sessions?series_id=${seriesId}&page_size=1&page=2`)
      .set(HTMX)
      .expect(200);
    expect(isFullPage(response)).toBe(false);
    const $ = htmlOf(response);
    expect($('input[type=hidden][form=filters][name=series_id]').val()).toBe(String(seriesId));
    expect($('a[rel=prev]').attr('href')).toBe(`/sessions?series_id=${seriesId}&page_size=1`);
    expect($('a[rel=next]').attr('href')).toBe(`/sessions?series_id=${seriesId}&page=3&page_size=1`);
    const headerLinks = $('th a')
      .toArray()
      .map((a) => $(a).attr('href'));
    expect(headerLinks.length).toBeGreaterThan(0);
    for (const href of headerLinks) expect(href).toContain(`series_id=${seriesId}`);
    expect($('.result-count').text()).toBe('Showing 2–2 of 3');
  });

  it('treats an unknown series as a filter: nothing matches, and the filters can be cleared', async () => {
    const $ = htmlOf(await t.http.get('/sessions?series_id=99999&order=desc').expect(200));
    expect($('tbody tr').length).toBe(0);
    expect($('.empty-state').text()).toContain('No sessions match these filters.');
    expect($('.empty-state').text()).not.toContain('Book the first one');
    expect($('.empty-state a').attr('href')).toBe('/sessions?order=desc');
    expect($('.filter-chips a.chip').attr('href')).toBe('/sessions?order=desc');
  });

  it('keeps a valid series next to an invalid filter', async () => {
    const $ = htmlOf(await t.http.get(`/sessions?series_id=${seriesId}&from=someday`).expect(400));
    expect($('input[type=hidden][form=filters][name=series_id]').val()).toBe(String(seriesId));
    expect($('input[name=from]').val()).toBe('someday');
  });

  it('links back to the first page when asked for a page past the end', async () => {
    const $ = htmlOf(await t.http.get('/sessions?page=1000&page_size=10&sort=patient').expect(200));
    expect($('tbody tr').length).toBe(0);
    expect($('.empty-state').text().replace(/\s+/g, ' ')).toContain(
      'Page 1000 is past the end of the list, which has 2 pages.',
    );
    expect($('.empty-state').text()).not.toContain('Book the first one');
    expect($('.empty-state a').text()).toBe('Go to the first page');
    expect($('.empty-state a').attr('href')).toBe('/sessions?sort=patient&page_size=10');
    const one = htmlOf(await t.http.get(`/sessions?series_id=${seriesId}&page=2`).expect(200));
    expect(one('.empty-state').text()).toContain('which has 1 page.');
  });
});

describe('booking refusals in the clinic time zone', () => {
  let t: TestApp;
  let maya: Therapist;
  let omar: Therapist;
  let existing: Session;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'America/New_York' });
    const em = t.em();
    maya = await createTherapist(em, { name: 'Maya Chen' });
    omar = await createTherapist(em, { name: 'Omar Haddad' });
    // Monday 1 December 2031, 10:00–10:50 in New York (UTC−5; the pages' en-GB format calls it GMT-5).
    existing = await createSession(em, { therapist: maya, startsAt: new Date('2031-12-01T15:00:00Z') });
    await t.http
      .put(`/api/therapists/${omar.id}/working-hours`)
      .send({ intervals: [{ weekday: 1, start: '09:00', end: '17:00' }] })
      .expect(200);
  });
  afterAll(() => t.close());

  const newPatient = async (): Promise<string> => String((await createPatient(t.em())).id);

  it('names the conflicting session’s time on the booking form, not the API’s UTC instants', async () => {
    const $ = htmlOf(
      await t.http
        .post('/sessions')
        .type('form')
        .send({
          therapist_id: String(maya.id),
          patient_id: await newPatient(),
          date: '2031-12-01T10:20',
          duration_minutes: '50',
        })
        .expect(409),
    );
    expect($('#date-error').text()).toMatch(/^Maya Chen already sees .+ 10:00–10:50 that day$/);
    expect($('#session-form').text()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('does the same on the edit form of a session moved onto another', async () => {
    const moved = await createSession(t.em(), {
      therapist: maya,
      startsAt: new Date('2031-12-02T15:00:00Z'),
    });
    const $ = htmlOf(
      await t.http
        .post(`/sessions/${moved.id}`)
        .type('form')
        .send({ date: '2031-12-01T09:30', duration_minutes: '50', notes: '', version: '1' })
        .expect(409),
    );
    expect($('#date-error').text()).toMatch(/^Maya Chen already sees .+ 10:00–10:50 that day$/);
    expect($('input[name=date]').val()).toBe('2031-12-01T09:30');
  });

  it('lists the failing occurrences of a series in the clinic time zone', async () => {
    const $ = htmlOf(
      await t.http
        .post('/sessions')
        .type('form')
        .send({
          therapist_id: String(omar.id),
          patient_id: await newPatient(),
          date: '2031-03-03T07:00',
          duration_minutes: '50',
          repeat: 'weekly',
          occurrences: '2',
        })
        .expect(409),
    );
    const errors = textsOf($, '#occurrence-errors li');
    expect(errors.map((error) => error.split(': Outside working hours')[0])).toEqual([
      'Mon, 3 Mar 2031, 07:00–07:50 GMT-5',
      // The clocks go forward on 9 March 2031: the series keeps its local time.
      'Mon, 10 Mar 2031, 07:00–07:50 GMT-4',
    ]);
    for (const error of errors) expect(error).toContain(': Outside working hours');
  });

  it('words the API’s messages in the clinic’s time, its fields in ISO 8601', async () => {
    const response = await t.http
      .post('/api/sessions')
      .send({ therapist_id: maya.id, patient_id: Number(await newPatient()), date: '2031-12-01T15:20:00Z' })
      .expect(409);
    const body = response.body as { errors: { message: string }[]; conflicting_session: { date: string } };
    expect(body.errors[0]?.message).toMatch(/^Maya Chen already sees .+ 10:00–10:50 that day$/);
    expect(body.conflicting_session.date).toBe(existing.startsAt.toISOString());
  });
});
