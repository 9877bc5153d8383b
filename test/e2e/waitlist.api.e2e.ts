import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { SessionResponse } from '../../src/sessions/dto/session.dto.js';
import type {
  WaitlistEntryResponse,
  WaitlistListResponse,
  WaitlistMatchesResponse,
} from '../../src/waitlist/dto/waitlist.dto.js';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Tuesday 9 March 2027, 10:00–10:50 in Berlin (CET, UTC+1). */
const SLOT = { start: '2027-03-09T09:00:00Z', end: '2027-03-09T09:50:00Z' };

/** The waitlist API: entries, validation, matching a free slot in the clinic's zone, booking, roles. */
describe('waitlist API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const entryOf = (response: Response, status = 200): WaitlistEntryResponse => {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
    return response.body as WaitlistEntryResponse;
  };
  const add = async (body: object, agent: TestAgent = t.http): Promise<WaitlistEntryResponse> =>
    entryOf(await agent.post('/api/waitlist').send(body), 201);
  const waiting = (patient: Patient, more: object = {}): object => ({
    patient_id: patient.id,
    earliest_date: '2027-03-01',
    latest_date: '2027-03-31',
    ...more,
  });
  const matchIds = async (therapist: Therapist, slot = SLOT): Promise<number[]> => {
    const response = await t.http
      .get('/api/waitlist/matches')
      .query({ therapist_id: therapist.id, ...slot })
      .expect(200);
    return (response.body as WaitlistMatchesResponse).data.map((entry) => entry.id);
  };

  it('adds, reads, changes, lists oldest first and removes an entry', async () => {
    const therapist = await createTherapist(t.em(), { name: 'Dr. Wait' });
    const patient = await createPatient(t.em(), { name: 'Pat Waiting' });
    const response = await t.http.post('/api/waitlist').send(
      waiting(patient, {
        therapist_id: therapist.id,
        weekdays: [4, 2],
        time_from: '09:00',
        time_to: '13:00',
        notes: ' Mornings ',
      }),
    );
    const entry = entryOf(response, 201);
    expect(response.headers.location).toBe(`/api/waitlist/${entry.id}`);
    expect(entry).toEqual({
      id: expect.any(Number),
      patient_id: patient.id,
      patient_name: 'Pat Waiting',
      therapist_id: therapist.id,
      therapist_name: 'Dr. Wait',
      earliest_date: '2027-03-01',
      latest_date: '2027-03-31',
      weekdays: [2, 4],
      time_from: '09:00',
      time_to: '13:00',
      notes: ' Mornings ',
      created_at: expect.any(String),
      closed_at: null,
      closed_reason: null,
      session_id: null,
    });
    expect(entryOf(await t.http.get(`/api/waitlist/${entry.id}`))).toEqual(entry);

    const changed = entryOf(
      await t.http
        .patch(`/api/waitlist/${entry.id}`)
        .send({ therapist_id: null, weekdays: [], time_to: null }),
    );
    expect(changed).toMatchObject({
      therapist_id: null,
      therapist_name: null,
      weekdays: null,
      time_to: null,
    });

    const later = await add(waiting(patient));
    const list = (await t.http.get('/api/waitlist').query({ patient_id: patient.id }).expect(200))
      .body as WaitlistListResponse;
    expect(list.data.map((item) => item.id)).toEqual([entry.id, later.id]);
    expect(list.meta).toEqual({ page: 1, page_size: 25, total: 2 });

    await t.http.delete(`/api/waitlist/${entry.id}`).expect(204);
    const removed = entryOf(await t.http.get(`/api/waitlist/${entry.id}`));
    expect(removed).toMatchObject({ closed_reason: 'removed', closed_at: expect.any(String) });
    const after = (await t.http.get('/api/waitlist').query({ patient_id: patient.id }).expect(200))
      .body as WaitlistListResponse;
    expect(after.data.map((item) => item.id)).toEqual([later.id]);
    problemOf(await t.http.delete(`/api/waitlist/${entry.id}`), 409);
    problemOf(await t.http.patch(`/api/waitlist/${entry.id}`).send({ notes: 'x' }), 409);
    problemOf(await t.http.get('/api/waitlist/999999'), 404);
  });

  it('refuses bad input with 400 and names each field', async () => {
    const patient = await createPatient(t.em());
    const refused = async (body: object): Promise<string[]> =>
      fieldsOf(problemOf(await t.http.post('/api/waitlist').send(body), 400));
    expect(await refused(waiting(patient, { colour: 'blue' }))).toEqual(['colour']);
    expect(
      await refused(waiting(patient, { earliest_date: '2027-02-30', latest_date: '31/03/2027' })),
    ).toEqual(['earliest_date', 'latest_date']);
    expect(await refused(waiting(patient, { latest_date: '2027-02-01' }))).toEqual(['latest_date']);
    expect(await refused(waiting(patient, { weekdays: [0, 8] }))).toEqual(['weekdays']);
    expect(await refused(waiting(patient, { weekdays: [1, 1] }))).toEqual(['weekdays']);
    expect(await refused(waiting(patient, { time_from: 'nine' }))).toEqual(['time_from']);
    expect(await refused(waiting(patient, { time_from: '12:00', time_to: '09:00' }))).toEqual(['time_to']);
    expect(await refused({ ...waiting(patient), patient_id: 999999, therapist_id: 999999 })).toEqual([
      'patient_id',
      'therapist_id',
    ]);
    expect(await refused({ earliest_date: '2027-03-01', latest_date: '2027-03-02' })).toEqual(['patient_id']);
    const entry = await add(waiting(patient));
    expect(fieldsOf(problemOf(await t.http.patch(`/api/waitlist/${entry.id}`).send({}), 400))).toEqual([
      'body',
    ]);
    expect(
      fieldsOf(
        problemOf(await t.http.patch(`/api/waitlist/${entry.id}`).send({ patient_id: patient.id }), 400),
      ),
    ).toEqual(['body', 'patient_id']);
    const matches = (query: object): Promise<Response> => t.http.get('/api/waitlist/matches').query(query);
    expect(
      fieldsOf(problemOf(await matches({ therapist_id: 1, start: 'soon', end: SLOT.end }), 400)),
    ).toEqual(['start']);
    expect(
      fieldsOf(problemOf(await matches({ therapist_id: 1, start: SLOT.end, end: SLOT.start }), 400)),
    ).toEqual(['end']);
    problemOf(await t.http.get('/api/waitlist').query({ page_size: 101 }), 400);
  });

  it('matches the entries that fit the slot, longest waiting first', async () => {
    const [ada, ben] = [await createTherapist(t.em()), await createTherapist(t.em())];
    const created = new Set<number>();
    const entry = async (more: object, patient?: Patient): Promise<number> => {
      const { id } = await add(waiting(patient ?? (await createPatient(t.em())), more));
      created.add(id);
      return id;
    };
    const matching = async (therapist: Therapist): Promise<number[]> =>
      (await matchIds(therapist)).filter((id) => created.has(id));
    const anyone = await entry({});
    const adaTuesdayMorning = await entry({
      therapist_id: ada.id,
      weekdays: [2],
      time_from: '09:00',
      time_to: '12:00',
    });
    const forBen = await entry({ therapist_id: ben.id });
    await entry({ earliest_date: '2027-03-10', latest_date: '2027-04-30' });
    await entry({ weekdays: [3] });
    await entry({ time_from: '14:00' });
    await entry({ time_from: '10:00', time_to: '10:30' });
    const busy = await createPatient(t.em());
    await createSession(t.em(), { patient: busy, startsAt: new Date('2027-03-09T09:30:00Z') });
    await entry({}, busy);
    const closed = await entry({});
    await t.http.delete(`/api/waitlist/${closed}`).expect(204);
    const exactWindow = await entry({ time_from: '10:00', time_to: '10:50' });

    expect(await matching(ada)).toEqual([anyone, adaTuesdayMorning, exactWindow]);
    expect(await matching(ben)).toEqual([anyone, forBen, exactWindow]);
  });

  it('reads the slot’s day in the clinic’s zone', async () => {
    const ada = await createTherapist(t.em());
    const tuesdayOnly = (
      await add(
        waiting(await createPatient(t.em()), { earliest_date: '2027-03-09', latest_date: '2027-03-09' }),
      )
    ).id;
    // 00:30 on Tuesday in Berlin is still Monday in UTC.
    expect(await matchIds(ada, { start: '2027-03-08T23:30:00Z', end: '2027-03-09T00:20:00Z' })).toContain(
      tuesdayOnly,
    );
    expect(await matchIds(ada, { start: '2027-03-09T23:30:00Z', end: '2027-03-10T00:20:00Z' })).not.toContain(
      tuesdayOnly,
    );
  });

  it('books a waiting patient and closes the entry in the same transaction', async () => {
    const therapist = await createTherapist(t.em());
    const patient = await createPatient(t.em());
    const entry = await add(waiting(patient, { therapist_id: therapist.id }));
    const response = await t.http.post(`/api/waitlist/${entry.id}/book`).send({ date: SLOT.start });
    expect(response.status).toBe(201);
    const session = response.body as SessionResponse;
    expect(response.headers.location).toBe(`/api/sessions/${session.id}`);
    expect(session).toMatchObject({
      therapist_id: therapist.id,
      patient_id: patient.id,
      status: 'Scheduled',
    });
    expect(entryOf(await t.http.get(`/api/waitlist/${entry.id}`))).toMatchObject({
      closed_reason: 'booked',
      session_id: session.id,
    });
    problemOf(await t.http.post(`/api/waitlist/${entry.id}/book`).send({ date: SLOT.start }), 409);

    const anyTherapist = await add(waiting(patient));
    expect(
      fieldsOf(
        problemOf(await t.http.post(`/api/waitlist/${anyTherapist.id}/book`).send({ date: SLOT.end }), 400),
      ),
    ).toEqual(['therapist_id']);
    // The patient is in the session just booked: refused, and the entry keeps waiting.
    problemOf(
      await t.http
        .post(`/api/waitlist/${anyTherapist.id}/book`)
        .send({ therapist_id: therapist.id, date: SLOT.start }),
      409,
    );
    expect(entryOf(await t.http.get(`/api/waitlist/${anyTherapist.id}`)).closed_reason).toBeNull();
  });

  it('records each change in the audit trail without the notes', async () => {
    const entry = await add(waiting(await createPatient(t.em()), { notes: 'Anxious about mornings' }));
    await t.http.delete(`/api/waitlist/${entry.id}`).expect(204);
    const events = await t
      .em()
      .execute<{ action: string; patient_id: number; detail: unknown }[]>(
        `select action, patient_id, detail from audit_event where record_type = 'waitlist' and record_id = ? order by id`,
        [entry.id],
      );
    expect(events.map((event) => [event.action, event.patient_id])).toEqual([
      ['waitlist.create', entry.patient_id],
      ['waitlist.update', entry.patient_id],
    ]);
    expect(JSON.stringify(events)).not.toContain('Anxious');
  });

  it('shows a therapist only the entries naming them, and lets them add their own only', async () => {
    const [own, other] = [await createTherapist(t.em()), await createTherapist(t.em())];
    const patient = await createPatient(t.em());
    await createSession(t.em(), { therapist: own, patient });
    const theirs = await add(waiting(patient, { therapist_id: other.id }));
    const anyone = await add(waiting(patient));
    const agent = await t.signIn('therapist', { therapistId: own.id });

    const mine = await add(waiting(patient), agent);
    expect(mine.therapist_id).toBe(own.id);
    problemOf(await agent.post('/api/waitlist').send(waiting(patient, { therapist_id: other.id })), 403);
    const list = (await agent.get('/api/waitlist').expect(200)).body as WaitlistListResponse;
    expect(list.data.map((entry) => entry.id)).toEqual([mine.id]);
    problemOf(await agent.get(`/api/waitlist/${theirs.id}`), 404);
    problemOf(await agent.get(`/api/waitlist/${anyone.id}`), 404);
    problemOf(await agent.delete(`/api/waitlist/${theirs.id}`), 404);
    problemOf(await agent.get('/api/waitlist/matches').query({ therapist_id: other.id, ...SLOT }), 404);

    const receptionist = await t.signIn('receptionist');
    await receptionist.get(`/api/waitlist/${theirs.id}`).expect(200);
    problemOf(await t.anonymous.get('/api/waitlist'), 401);
  });
});
