import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import type { Actor } from '../../src/access/roles.js';
import { RowSecurity } from '../../src/access/row-security.js';
import { Patient } from '../../src/patients/patient.entity.js';
import { SessionEvent } from '../../src/sessions/session-event.entity.js';
import { Session } from '../../src/sessions/session.entity.js';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * A therapist sees their own sessions, the patients they have or had sessions with and their own record and
 * hours; anything of another therapist answers 404, and what their role may not do answers 403. PostgreSQL's
 * row-level security holds the same line under a query that filters nothing.
 */
interface Listed {
  data: { id: number }[];
}
const idsOf = (response: { body: unknown }): number[] =>
  (response.body as Listed).data.map((item) => item.id);
const errorsOf = (response: { body: unknown }): unknown => (response.body as { errors: unknown }).errors;

describe('A therapist’s view of the practice', () => {
  let t: TestApp;
  let mine: { therapist: number; patient: number; session: number };
  let theirs: { therapist: number; patient: number; session: number };
  let therapist: TestAgent;
  let therapistUserId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    const [me, other] = [await createTherapist(em), await createTherapist(em)];
    const [myPatient, otherPatient] = [await createPatient(em), await createPatient(em)];
    const start = new Date(Date.UTC(2031, 2, 3, 9));
    const own = await createSession(em, { therapist: me, patient: myPatient, startsAt: start });
    const other$ = await createSession(em, { therapist: other, patient: otherPatient, startsAt: start });
    mine = { therapist: me.id, patient: myPatient.id, session: own.id };
    theirs = { therapist: other.id, patient: otherPatient.id, session: other$.id };
    therapist = await t.signIn('therapist', { therapistId: me.id });
    const [row] = await t
      .em()
      .execute<{ id: number }[]>('select id from staff_user where therapist_id = ?', [me.id]);
    therapistUserId = row?.id ?? 0;
  });

  afterAll(async () => {
    await t.close();
  });

  /** The signed-in therapist, as the guard names them for row-level security. */
  const theTherapist = (): Actor => ({
    userId: therapistUserId,
    name: 'Test therapist',
    role: 'therapist',
    therapistId: mine.therapist,
    tokenId: null,
  });

  it('lists only their own sessions, patients and therapist record, whatever the filters ask', async () => {
    const sessions = await therapist.get('/api/sessions?page_size=100').expect(200);
    expect(idsOf(sessions)).toEqual([mine.session]);
    const asked = await therapist.get(`/api/sessions?therapist_id=${theirs.therapist}`).expect(200);
    expect(idsOf(asked)).toEqual([]);
    const patients = await therapist.get('/api/patients?page_size=100').expect(200);
    expect(idsOf(patients)).toEqual([mine.patient]);
    const therapists = await therapist.get('/api/therapists?page_size=100').expect(200);
    expect(idsOf(therapists)).toEqual([mine.therapist]);
    // The front desk sees both.
    const all = await t.http.get('/api/sessions?page_size=100').expect(200);
    expect(idsOf(all).sort()).toEqual([mine.session, theirs.session].sort());
  });

  it.each([
    ['session', () => `/api/sessions/${theirs.session}`],
    ['session history', () => `/api/sessions/${theirs.session}/history`],
    ['patient', () => `/api/patients/${theirs.patient}`],
    ['therapist', () => `/api/therapists/${theirs.therapist}`],
    ['working hours', () => `/api/therapists/${theirs.therapist}/working-hours`],
    ['session page', () => `/sessions/${theirs.session}`],
    ['patient page', () => `/patients/${theirs.patient}`],
    ['patient’s sessions page', () => `/patients/${theirs.patient}/sessions`],
  ])('answers 404 for another therapist’s %s, as if it did not exist', async (_what, path) => {
    await therapist.get(path()).set('Accept', 'text/html,application/json').expect(404);
  });

  it('refuses another therapist’s session changes with 404 and a move of their own with 403', async () => {
    await therapist.patch(`/api/sessions/${theirs.session}`).send({ notes: 'x' }).expect(404);
    const moved = await therapist
      .patch(`/api/sessions/${mine.session}`)
      .send({ date: '2031-03-03T11:00:00Z' })
      .expect(403);
    expect(moved.body).toMatchObject({ type: '/problems/forbidden' });
  });

  it('changes the notes of their own session, and the history names who did', async () => {
    await therapist.patch(`/api/sessions/${mine.session}`).send({ notes: 'Went well' }).expect(200);
    const history = await therapist.get(`/api/sessions/${mine.session}/history`).expect(200);
    const last = (history.body as { data: unknown[] }).data.at(-1);
    expect(last).toMatchObject({ type: 'notes_changed', actor_id: therapistUserId, actor: 'Test therapist' });
  });

  it('books for their own patients only, and only with themself', async () => {
    const body = { patient_id: mine.patient, date: '2031-03-10T09:00:00Z', duration_minutes: 50 };
    const ownBooking = await therapist
      .post('/api/sessions')
      .send({ ...body, therapist_id: mine.therapist })
      .expect(201);
    expect(ownBooking.body).toMatchObject({ therapist: { id: mine.therapist } });
    const forOther = await therapist
      .post('/api/sessions')
      .send({ ...body, therapist_id: theirs.therapist })
      .expect(403);
    expect(errorsOf(forOther)).toEqual([expect.objectContaining({ field: 'therapist_id' })]);
    const strangePatient = await therapist
      .post('/api/sessions')
      .send({
        ...body,
        date: '2031-03-11T09:00:00Z',
        therapist_id: mine.therapist,
        patient_id: theirs.patient,
      })
      .expect(400);
    expect(errorsOf(strangePatient)).toEqual([expect.objectContaining({ field: 'patient_id' })]);
  });

  it('may not add or change patients and therapists (403)', async () => {
    await therapist.post('/api/patients').send({ name: 'New Person' }).expect(403);
    await therapist.patch(`/api/patients/${mine.patient}`).send({ name: 'Renamed' }).expect(403);
    await therapist.patch(`/api/therapists/${mine.therapist}`).send({ name: 'Renamed' }).expect(403);
  });

  it('never shows another therapist’s patient: list, search, calendar, patients and booking form', async () => {
    const [other] = await t
      .em()
      .execute<{ name: string }[]>('select name from patient where id = ?', [theirs.patient]);
    const stranger = other?.name ?? 'missing';
    const pages = [
      '/sessions',
      `/sessions?q=${encodeURIComponent(stranger)}`,
      '/calendar?week=2031-03-03',
      '/patients',
      `/patients?q=${encodeURIComponent(stranger)}`,
      '/sessions/new',
    ];
    for (const page of pages) {
      const html = (await therapist.get(page).expect(200)).text;
      // As text on the page (a search box may echo the name that was searched for).
      expect({ page, shows: html.includes(`>${stranger}<`) }).toEqual({ page, shows: false });
    }
    // The same week at the desk does show them: the page above had something to hide.
    expect((await t.http.get('/calendar?week=2031-03-03').expect(200)).text).toContain(`>${stranger}<`);
  });

  it('offers on the pages only what the role may do', async () => {
    const own = await therapist.get(`/patients/${mine.patient}`).expect(200);
    expect(own.text).not.toContain(`/patients/${mine.patient}/edit`);
    const desk = await t.http.get(`/patients/${mine.patient}`).expect(200);
    expect(desk.text).toContain(`/patients/${mine.patient}/edit`);
    const sessionPage = await therapist.get(`/sessions/${mine.session}`).expect(200);
    expect(sessionPage.text).toContain('Reception moves sessions');
    const list = await therapist.get('/sessions').expect(200);
    expect(list.text).not.toContain(`/sessions/${theirs.session}"`);
    const patients = await therapist.get('/patients').expect(200);
    expect(patients.text).not.toContain('/patients/new');
  });

  it('row-level security: an unfiltered query in a therapist’s transaction sees only their rows', async () => {
    const rowSecurity = t.app.get(RowSecurity);
    const actor = theTherapist();
    await t.http.patch(`/api/sessions/${theirs.session}`).send({ notes: 'From the desk' }).expect(200);
    // The global entity manager: inside `within` it resolves to the transaction's.
    const em = t.orm.em;
    const seen = await rowSecurity.within(actor, async () => ({
      sessions: await em.execute<{ therapist_id: number }[]>('select therapist_id from therapy_session'),
      patients: await em.count(Patient, {}),
      events: await em.count(SessionEvent, {}),
      role: await em.execute<{ current_user: string }[]>('select current_user'),
    }));
    expect(new Set(seen.sessions.map((row) => row.therapist_id))).toEqual(new Set([mine.therapist]));
    expect(seen.patients).toBe(1);
    expect(seen.role[0]?.current_user).toBe('therapy_app');
    const everything = await t.em().count(Session, {});
    expect(everything).toBeGreaterThan(seen.sessions.length);
    const allEvents = await t.em().count(SessionEvent, {});
    expect(seen.events).toBe(allEvents - (await t.em().count(SessionEvent, { session: theirs.session })));
  });

  it('row-level security refuses a therapist’s write to another therapist’s session', async () => {
    const rowSecurity = t.app.get(RowSecurity);
    const actor = theTherapist();
    const em = t.orm.em;
    const updated = await rowSecurity.within(actor, () =>
      em.execute(`update therapy_session set notes = 'tampered' where id = ?`, [theirs.session], 'run'),
    );
    expect(updated).toMatchObject({ affectedRows: 0 });
    const [row] = await t
      .em()
      .execute<{ notes: string | null }[]>('select notes from therapy_session where id = ?', [
        theirs.session,
      ]);
    expect(row?.notes).not.toBe('tampered');
  });

  it('answers a page only once its change has committed: the redirect finds it', async () => {
    // A commit that takes a moment, in this suite's database only: a deferred trigger sleeps at commit time.
    await t.em().execute(`
      create function slow_commit() returns trigger language plpgsql as $$
        begin perform pg_sleep(0.4); return null; end $$;
      create constraint trigger therapy_session_slow_commit after update on therapy_session
        deferrable initially deferred for each row execute function slow_commit();`);
    try {
      const start = new Date(Date.UTC(2031, 4, 20, 15));
      const em = t.em();
      const session = await createSession(em, {
        therapist: await em.findOneOrFail(Therapist, mine.therapist),
        patient: await em.findOneOrFail(Patient, mine.patient),
        startsAt: start,
      });
      await therapist
        .post(`/sessions/${session.id}/cancel`)
        .type('form')
        .send({ scope: 'this', reason: 'Unwell', version: session.version })
        .expect(303);
      const [row] = await t
        .em()
        .execute<{ status: string }[]>('select status from therapy_session where id = ?', [session.id]);
      expect(row?.status).toMatch(/Cancelled/);
    } finally {
      await t.em().execute(`
        drop trigger therapy_session_slow_commit on therapy_session;
        drop function slow_commit();`);
    }
  });
});
