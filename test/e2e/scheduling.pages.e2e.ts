import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionEvent } from '../../src/sessions/session-event.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { Session } from '../../src/sessions/session.entity.js';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { CHANGED_BY_SOMEONE_ELSE } from '../../src/sessions/session-problem.view.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, rowFragmentOf, textsOf } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const FUTURE = new Date('2031-06-02T09:00:00Z');

describe('scheduling in the pages', () => {
  let t: TestApp;
  let therapist: Therapist;
  let patient: Patient;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'UTC' });
    therapist = await createTherapist(t.em(), { name: 'Maya Chen' });
    patient = await createPatient(t.em(), { name: 'Jordan Lee' });
  });
  afterAll(() => t.close());

  const future = async (hoursAfter: number): Promise<Session> =>
    createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date(FUTURE.getTime() + hoursAfter * 3_600_000),
    });

  it('offers a future session only a cancellation (with a reason), a started one only Completed and No-Show', async () => {
    const upcoming = await future(0);
    const past = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2025-01-06T09:00:00Z'),
    });
    const $ = htmlOf(await t.http.get(`/sessions?therapist_id=${therapist.id}`).expect(200));
    const actions = (id: number): string[] => textsOf($, `#session-${id} .status-actions button[value]`);
    expect(actions(upcoming.id)).toEqual(['Cancel session']);
    expect($(`#session-${upcoming.id} input[name=reason]`).length).toBe(1);
    expect(actions(past.id).map((label) => label.split(' ')[0])).toEqual(['Complete', 'No-show']);
    expect($(`#session-${past.id} input[name=reason]`).length).toBe(0);
  });

  it('refuses a cancellation without a reason in the row, and cancels with one', async () => {
    const session = await future(3);
    const refused = rowFragmentOf(
      await t.http
        .post(`/sessions/${session.id}/status`)
        .set(HTMX)
        .type('form')
        .send({ status: 'Cancelled', reason: '', version: String(session.version) })
        .expect(400),
    );
    expect(refused('.row-error').text()).toBe('Not changed: reason is required to cancel a session');
    expect(refused('.badge').text()).toBe('Scheduled');

    const done = rowFragmentOf(
      await t.http
        .post(`/sessions/${session.id}/status`)
        .set(HTMX)
        .type('form')
        .send({ status: 'Cancelled', reason: 'Patient unwell', version: String(session.version) })
        .expect(200),
    );
    expect(done('.badge').text()).toBe('Cancelled');
    expect(done('td[data-label=Status] small').text()).toBe('Patient unwell');
    expect(textsOf(done, '.status-actions button[value]')[0]).toContain('Reopen');
  });

  it('tells the user when the row they acted on was changed by someone else', async () => {
    const session = await future(6);
    await t.http.patch(`/api/sessions/${session.id}`).send({ notes: 'Changed elsewhere' }).expect(200);
    const stale = rowFragmentOf(
      await t.http
        .post(`/sessions/${session.id}/status`)
        .set(HTMX)
        .type('form')
        .send({ status: 'Cancelled', reason: 'Too late', version: String(session.version) })
        .expect(412),
    );
    expect(stale('.row-error').text()).toBe(`Not changed: ${CHANGED_BY_SOMEONE_ELSE}`);
    expect(stale('input[name=version]').val()).toBe(String(session.version + 1));
  });

  it('shows a stale edit form with the current values and the reason, changing nothing', async () => {
    const session = await future(9);
    await t.http.patch(`/api/sessions/${session.id}`).send({ notes: 'Newer notes' }).expect(200);
    const response = await t.http
      .post(`/sessions/${session.id}`)
      .type('form')
      .send({
        date: '2031-06-02T20:00',
        duration_minutes: '50',
        notes: 'Older notes',
        version: String(session.version),
      })
      .expect(412);
    const $ = htmlOf(response);
    expect($('#edit-session-form .notice-error').text()).toContain(CHANGED_BY_SOMEONE_ELSE);
    expect($('textarea[name=notes]').text()).toBe('Newer notes');
    expect($('input[name=version]').val()).toBe(String(session.version + 1));
    const stored = await t.em().findOneOrFail(Session, session.id);
    expect(stored.notes).toBe('Newer notes');
  });

  it('shows an overlap inline on the booking form, keeping the input', async () => {
    await future(12);
    const response = await t.http
      .post('/sessions')
      .type('form')
      .send({
        therapist_id: String(therapist.id),
        patient_id: String((await createPatient(t.em())).id),
        date: '2031-06-02T21:20',
        duration_minutes: '50',
      })
      .expect(409);
    const $ = htmlOf(response);
    expect($('#date-error').text()).toMatch(new RegExp(`^${therapist.name} already sees .+ that day$`));
    expect($('#date-error').text()).not.toMatch(/session \d/);
    expect($('input[name=date]').val()).toBe('2031-06-02T21:20');
  });

  it('books a weekly series from the form, or lists every occurrence that cannot be booked', async () => {
    const other = await createPatient(t.em());
    const blocker = await createSession(t.em(), {
      therapist: await createTherapist(t.em()),
      patient: other,
      startsAt: new Date('2031-07-14T10:00:00Z'),
    });
    const form = {
      therapist_id: String(therapist.id),
      patient_id: String(other.id),
      date: '2031-07-07T10:00',
      duration_minutes: '50',
      repeat: 'weekly',
      occurrences: '4',
    };
    const refused = htmlOf(await t.http.post('/sessions').type('form').send(form).expect(409));
    expect(textsOf(refused, '#occurrence-errors li')).toEqual([
      `Mon, 14 Jul 2031, 10:00–10:50 UTC: overlaps session ${blocker.id} of the patient`,
    ]);
    expect(await t.em().count(Session, { patient: other, id: { $ne: blocker.id } })).toBe(0);

    const booked = await t.http
      .post('/sessions')
      .type('form')
      .send({ ...form, date: '2031-07-07T12:00' })
      .expect(303);
    const firstId = Number(/\/sessions\/(\d+)$/.exec(String(booked.headers.location))?.[1]);
    const first = await t.em().findOneOrFail(Session, firstId, { populate: ['series'] });
    expect(await t.em().count(Session, { series: first.series })).toBe(4);
  });

  it('cancels this and all following sessions of a series from the detail page', async () => {
    const response = await t.http
      .post('/api/sessions/series')
      .send({
        therapist_id: therapist.id,
        patient_id: patient.id,
        date: '2031-09-01T08:00:00Z',
        frequency: 'weekly',
        occurrences: 3,
      })
      .expect(201);
    const ids = (response.body as { data: { id: number }[] }).data.map((session) => session.id);
    const second = ids[1] ?? 0;
    const page = htmlOf(await t.http.get(`/sessions/${second}`).expect(200));
    expect(page('form.series-cancel').attr('action')).toBe(`/sessions/${second}/cancel`);
    await t.http
      .post(`/sessions/${second}/cancel`)
      .type('form')
      .send({
        scope: 'following',
        reason: 'Therapy ended',
        version: page('form.series-cancel input[name=version]').val(),
      })
      .expect(303)
      .expect('Location', `/sessions/${second}`);
    const statuses = await Promise.all(
      ids.map(async (id) => (await t.em().findOneOrFail(Session, id)).status),
    );
    expect(statuses).toEqual([SessionStatus.Scheduled, SessionStatus.Cancelled, SessionStatus.Cancelled]);
  });

  it('shows the history as a timeline on the detail page', async () => {
    const session = await future(30);
    await t.http.patch(`/api/sessions/${session.id}`).send({ date: '2031-06-04T09:00:00Z' }).expect(200);
    await t.http
      .patch(`/api/sessions/${session.id}`)
      .send({ status: 'Cancelled', reason: 'Holiday' })
      .expect(200);
    expect(await t.em().count(SessionEvent, { session: session.id })).toBe(2);
    const $ = htmlOf(await t.http.get(`/sessions/${session.id}`).expect(200));
    expect(textsOf($, '.timeline strong')).toEqual(['Rescheduled', 'Status: Scheduled → Cancelled']);
    expect($('.timeline li').first().text()).toContain(
      'from Tue, 3 Jun 2031, 15:00 UTC (50 min) to Wed, 4 Jun 2031, 09:00 UTC',
    );
    expect($('.timeline li').last().text()).toContain('Reason: Holiday');
  });
});

describe('page forms refuse what they cannot act on', () => {
  let t: TestApp;
  let session: Session;

  beforeAll(async () => {
    t = await createTestApp();
    session = await createSession(t.em(), { startsAt: new Date('2031-03-03T09:00:00Z') });
  });
  afterAll(() => t.close());

  it.each([{}, { version: '0' }, { version: 'abc' }, { version: ['1', '1'] }])(
    'a status change whose version is missing or not a version (%o) → 400, nothing changes',
    async (version) => {
      const row = rowFragmentOf(
        await t.http
          .post(`/sessions/${session.id}/status`)
          .set(HTMX)
          .type('form')
          .send({ status: 'Cancelled', reason: 'x', ...version })
          .expect(400),
      );
      expect(row('.row-error').text()).toBe(
        'Not changed: The form has no valid version; reload the page and try again',
      );
      expect((await t.em().findOneOrFail(Session, session.id)).status).toBe(SessionStatus.Scheduled);
    },
  );

  it('a status change without a status → 400 asking for one', async () => {
    const row = rowFragmentOf(
      await t.http
        .post(`/sessions/${session.id}/status`)
        .set(HTMX)
        .type('form')
        .send({ version: '1' })
        .expect(400),
    );
    expect(row('.row-error').text()).toBe('Not changed: Choose a status');
  });

  it('an edit without its version → 400 with the message on the form', async () => {
    const $ = htmlOf(
      await t.http
        .post(`/sessions/${session.id}`)
        .type('form')
        .send({ date: '2031-03-03T10:00', duration_minutes: '50', notes: 'x' })
        .expect(400),
    );
    expect($('#edit-session-form .notice-error').text()).toContain('The form has no valid version');
  });

  it.each(['/sessions', `/sessions/1/status`, '/therapists', '/patients/1'])(
    'a post to %s that is not an HTML form → 415 page; no body at all → the form with its errors',
    async (path) => {
      const text = await t.http.post(path).set('Content-Type', 'text/plain').send('name=x').expect(415);
      expect(htmlOf(text)('h1').text()).toBe('Unsupported media type');
      const empty = await t.http.post(path);
      expect(empty.status).toBeGreaterThanOrEqual(400);
      expect(empty.status).toBeLessThan(500);
      htmlOf(empty);
    },
  );
});
