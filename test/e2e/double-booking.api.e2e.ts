import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { Patient } from '../../src/patients/patient.entity.js';
import type {
  CancelledSessionsResponse,
  SessionHistoryResponse,
} from '../../src/sessions/dto/session.dto.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createSession } from '../utils/factories.js';
import { fieldsOf, problemOf, sessionOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Nobody is in two sessions at once: the exclusion constraints refuse an overlap for the same therapist or the
 * same patient (cancelled sessions excepted), for a booking, a reschedule and a reopen, and under 50 concurrent
 * requests.
 */

const MINUTE = 60_000;

interface ConflictingSession {
  id: number;
  date: string;
  ends_at: string;
}

const at = (iso: string, minutes = 0): string => new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/** Counts responses by status code, e.g. { 201: 1, 409: 49 }. */
const tally = (responses: readonly Response[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
};

/** "1 × 201, 49 × 409" */
const summary = (counts: Record<number, number>): string =>
  Object.entries(counts)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');

/** Pairs of sessions that still take place and overlap for one therapist (or patient): must always be none. */
const OVERLAPS_SQL = (column: 'therapist_id' | 'patient_id'): string => `
  select a.id as first, b.id as second
    from therapy_session a
    join therapy_session b
      on a.${column} = b.${column}
     and a.id < b.id
     and tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
   where a.status not in ('Cancelled', 'Late-Cancelled')
     and b.status not in ('Cancelled', 'Late-Cancelled')`;

describe('no double booking', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Which answer each racing request gets is the point, not how fast: a busy machine must not make them 503s.
    t = await createTestApp({
      CLINIC_TIMEZONE: 'Europe/Berlin',
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
      DATABASE_STATEMENT_TIMEOUT_MS: '30000',
    });
  });
  afterAll(() => t.close());

  const { therapist, patient, book, booked } = schedulingHelpers(() => t);
  const overlapProblem = (response: Response): ConflictingSession => {
    const problem = problemOf(response, 409);
    expect(problem.type).toBe('/problems/session-overlap');
    expect(fieldsOf(problem)).toEqual(['date']);
    const { id, date, ends_at } = problem.conflicting_session as ConflictingSession;
    return { id, date, ends_at };
  };
  const overlapsIn = async (column: 'therapist_id' | 'patient_id'): Promise<unknown[]> =>
    t.em().execute(OVERLAPS_SQL(column));
  const countWhere = async (column: 'therapist_id' | 'patient_id', id: number): Promise<number> => {
    const [row] = await t
      .em()
      .execute<{ count: string }[]>(`select count(*) from therapy_session where ${column} = ?`, [id]);
    return Number(row?.count);
  };

  // A future Monday; the therapists here have no working hours, so any time is bookable.
  const NINE = '2031-02-03T09:00:00.000Z';

  describe('the same therapist', () => {
    it.each([
      ['starting inside it', 30, 50],
      ['ending inside it', -30, 50],
      ['containing it', -10, 80],
      ['inside it', 10, 20],
      ['at the same time', 0, 50],
      ['one minute before its end', 49, 50],
      ['ending one minute after its start', -49, 50],
    ])('refuses a session %s, naming the session it collides with', async (_, offset, minutes) => {
      const ada = await therapist();
      const existingPatient = await patient();
      const existing = await booked({ therapist: ada.id, patient: existingPatient.id, date: NINE });
      const response = await book({ therapist: ada.id, date: at(NINE, offset), minutes });
      expect(overlapProblem(response)).toEqual({
        id: existing,
        date: NINE,
        ends_at: at(NINE, 50),
      });
      expect(problemOf(response, 409).detail).toBe(
        `${ada.name} already sees ${existingPatient.name} 10:00–10:50 that day.`,
      );
      expect(await countWhere('therapist_id', ada.id)).toBe(1);
    });

    it('allows adjacent sessions (one ends when the next starts) when no buffer is kept', async () => {
      const noBuffer = await therapist({ bufferMinutes: 0 });
      await booked({ therapist: noBuffer.id, date: NINE });
      await booked({ therapist: noBuffer.id, date: at(NINE, 50) });
      await booked({ therapist: noBuffer.id, date: at(NINE, -50) });
      expect(await countWhere('therapist_id', noBuffer.id)).toBe(3);
    });

    it('allows adjacent sessions in the past (a backfill is only checked for overlaps)', async () => {
      const ada = await therapist();
      const past = '2024-05-06T09:00:00.000Z';
      await booked({ therapist: ada.id, date: past });
      await booked({ therapist: ada.id, date: at(past, 50) });
      const response = await book({ therapist: ada.id, date: at(past, 99) });
      expect(overlapProblem(response).date).toBe(at(past, 50));
    });

    it.each([SessionStatus.Completed, SessionStatus.NoShow])(
      'a %s session still occupies its time',
      async (status) => {
        const ada = await therapist();
        const held = await createSession(t.em(), {
          therapist: ada,
          startsAt: new Date('2024-05-07T09:00:00Z'),
          status,
        });
        const response = await book({ therapist: ada.id, date: '2024-05-07T09:20:00Z' });
        expect(overlapProblem(response).id).toBe(held.id);
      },
    );
  });

  describe('the same patient', () => {
    it('refuses an overlapping session with another therapist, naming it', async () => {
      const cleo = await patient();
      const omar = await therapist();
      const existing = await booked({ therapist: omar.id, patient: cleo.id, date: NINE });
      const response = await book({
        therapist: (await therapist()).id,
        patient: cleo.id,
        date: at(NINE, 25),
      });
      expect(overlapProblem(response)).toEqual({ id: existing, date: NINE, ends_at: at(NINE, 50) });
      expect(problemOf(response, 409).detail).toBe(
        `${cleo.name} already has a session with ${omar.name} 10:00–10:50 that day.`,
      );
      expect(await countWhere('patient_id', cleo.id)).toBe(1);
    });

    it('allows back-to-back sessions with two therapists', async () => {
      const cleo = await patient();
      await booked({ therapist: (await therapist()).id, patient: cleo.id, date: NINE });
      await booked({ therapist: (await therapist()).id, patient: cleo.id, date: at(NINE, 50) });
      expect(await countWhere('patient_id', cleo.id)).toBe(2);
    });
  });

  describe('cancelled sessions free their time', () => {
    it.each([
      ['Cancelled', '2031-06-02T09:00:00.000Z'],
      // Within LATE_CANCEL_HOURS of the start (a started session can no longer be cancelled).
      ['Late-Cancelled', new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 60_000) * 60_000).toISOString()],
    ])('a %s session can be booked over, by the therapist and the patient', async (status, date) => {
      const [ada, cleo] = [await therapist(), await patient()];
      const cancelledId = await booked({ therapist: ada.id, patient: cleo.id, date: date });
      const response = await t.http
        .post(`/api/sessions/${cancelledId}/cancel`)
        .send({ reason: 'Ill' })
        .expect(200);
      expect((response.body as CancelledSessionsResponse).data).toEqual([
        expect.objectContaining({ id: cancelledId, status }),
      ]);
      await booked({ therapist: ada.id, date: date });
      await booked({ therapist: (await therapist()).id, patient: cleo.id, date: at(date, 10) });
    });

    it('reopening a cancelled session into a slot taken since → 409, and it stays cancelled', async () => {
      const [ada, cleo] = [await therapist(), await patient()];
      const first = await booked({ therapist: ada.id, patient: cleo.id, date: NINE });
      await t.http.post(`/api/sessions/${first}/cancel`).send({ reason: 'Holiday' }).expect(200);
      const taker = await booked({ therapist: ada.id, date: at(NINE, 20) });
      const response = await t.http.patch(`/api/sessions/${first}`).send({ status: 'Scheduled' });
      expect(overlapProblem(response)).toEqual({ id: taker, date: at(NINE, 20), ends_at: at(NINE, 70) });
      expect(sessionOf(await t.http.get(`/api/sessions/${first}`).expect(200))).toMatchObject({
        status: 'Cancelled',
        version: 2,
      });
      const events = (await t.http.get(`/api/sessions/${first}/history`).expect(200))
        .body as SessionHistoryResponse;
      expect(events.data.map((event) => event.type)).toEqual(['created', 'status_changed']);
    });

    it('reopening into a slot the patient has taken elsewhere → 409 too', async () => {
      const cleo = await patient();
      const first = await booked({ therapist: (await therapist()).id, patient: cleo.id, date: NINE });
      await t.http.post(`/api/sessions/${first}/cancel`).send({ reason: 'Holiday' }).expect(200);
      const taker = await booked({
        therapist: (await therapist()).id,
        patient: cleo.id,
        date: at(NINE, -30),
      });
      const response = await t.http.patch(`/api/sessions/${first}`).send({ status: 'Scheduled' });
      expect(overlapProblem(response).id).toBe(taker);
    });
  });

  describe('reschedule', () => {
    it('into an overlap → 409 naming the session, nothing changed', async () => {
      const [ada, cleo] = [await therapist(), await patient()];
      const fixed = await booked({ therapist: ada.id, date: NINE });
      const moving = await booked({ therapist: ada.id, patient: cleo.id, date: at(NINE, 180) });
      const before = sessionOf(await t.http.get(`/api/sessions/${moving}`).expect(200));
      const response = await t.http.patch(`/api/sessions/${moving}`).send({ date: at(NINE, 30) });
      expect(overlapProblem(response)).toEqual({ id: fixed, date: NINE, ends_at: at(NINE, 50) });
      expect(sessionOf(await t.http.get(`/api/sessions/${moving}`).expect(200))).toEqual(before);
    });

    it('a longer duration that runs into the next session → 409', async () => {
      const ada = await therapist({ bufferMinutes: 0 });
      const first = await booked({ therapist: ada.id, date: NINE });
      const next = await booked({ therapist: ada.id, date: at(NINE, 50) });
      const response = await t.http.patch(`/api/sessions/${first}`).send({ duration_minutes: 60 });
      expect(overlapProblem(response).id).toBe(next);
    });

    it('overlapping only its own old time is fine', async () => {
      const ada = await therapist();
      const id = await booked({ therapist: ada.id, date: NINE });
      const moved = sessionOf(
        await t.http
          .patch(`/api/sessions/${id}`)
          .send({ date: at(NINE, 15) })
          .expect(200),
      );
      expect(moved.date).toBe(at(NINE, 15));
    });
  });

  describe('under concurrency', () => {
    const REQUESTS = 50;

    it(`${REQUESTS} concurrent bookings of one therapist at overlapping times: one 201, the rest 409`, async () => {
      const ada = await therapist();
      const patients: Patient[] = [];
      for (let index = 0; index < REQUESTS; index++) patients.push(await patient());
      const started = Date.now();
      const responses = await Promise.all(
        patients.map((person, index) =>
          book({ therapist: ada.id, patient: person.id, date: at('2031-03-04T10:00:00Z', index) }),
        ),
      );
      const elapsed = Date.now() - started;
      const counts = tally(responses);
      const created = responses.filter((response) => response.status === 201);
      const refused = responses.filter((response) => response.status === 409);
      const overlaps = await overlapsIn('therapist_id');
      console.info(
        `${REQUESTS} concurrent bookings (one therapist): ${summary(counts)}, ` +
          `${overlaps.length} overlaps in the table (${elapsed} ms)`,
      );
      expect(counts).toEqual({ 201: 1, 409: REQUESTS - 1 });
      const [winner] = created;
      if (!winner) throw new Error('no booking succeeded');
      const winnerId = sessionOf(winner).id;
      for (const response of refused) expect(overlapProblem(response).id).toBe(winnerId);
      expect(await countWhere('therapist_id', ada.id)).toBe(1);
      expect(overlaps).toEqual([]);
    });

    it(`${REQUESTS} concurrent bookings of one patient with different therapists: one 201, the rest 409`, async () => {
      const cleo = await patient();
      const therapists: Therapist[] = [];
      for (let index = 0; index < REQUESTS; index++) therapists.push(await therapist());
      const started = Date.now();
      const responses = await Promise.all(
        therapists.map((person, index) =>
          book({ therapist: person.id, patient: cleo.id, date: at('2031-03-05T10:00:00Z', index) }),
        ),
      );
      const elapsed = Date.now() - started;
      const counts = tally(responses);
      const overlaps = await overlapsIn('patient_id');
      console.info(
        `${REQUESTS} concurrent bookings (one patient, ${REQUESTS} therapists): ${summary(counts)}, ` +
          `${overlaps.length} overlaps in the table (${elapsed} ms)`,
      );
      expect(counts).toEqual({ 201: 1, 409: REQUESTS - 1 });
      for (const response of responses.filter((r) => r.status === 409)) overlapProblem(response);
      expect(await countWhere('patient_id', cleo.id)).toBe(1);
      expect(overlaps).toEqual([]);
    });

    it('the table never holds an overlap for any therapist or patient', async () => {
      expect(await overlapsIn('therapist_id')).toEqual([]);
      expect(await overlapsIn('patient_id')).toEqual([]);
    });
  });
});
