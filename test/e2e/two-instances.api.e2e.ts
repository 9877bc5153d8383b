import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { problemOf, sessionOf, statusSummary, withStatus } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Scaling out: two app instances on one PostgreSQL keep the invariants the single-instance race tests check,
 * because the state behind them (sessions, versions, idempotency keys) lives in the database, not in a process.
 * Concurrent requests alternate between the instances.
 */

const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * What this suite checks is which answer each racing request gets, not how fast: a busy CI machine must not turn
 * a wait for a connection or a lock into a 503 (test/e2e/overload.e2e.ts covers that shedding).
 */
const RACE_CONFIG = {
  CLINIC_TIMEZONE: 'Europe/Berlin',
  DATABASE_CONNECT_TIMEOUT_MS: '30000',
  DATABASE_STATEMENT_TIMEOUT_MS: '30000',
};

describe('two instances, one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  /** The instance for the index-th of a batch of concurrent requests: they alternate. */
  const instance = (index: number): TestApp => (index % 2 === 0 ? a : b);

  beforeAll(async () => {
    a = await createTestApp(RACE_CONFIG);
    b = await createTestApp(RACE_CONFIG, { shareDatabaseOf: a.databaseUrl });
  });
  // b first: a owns the database and drops it.
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [row] = await a.em().execute<{ count: string }[]>(sql, params);
    return Number(row?.count);
  };

  it('30 concurrent overlapping bookings of one therapist: 1 × 201, 29 × 409, no overlapping rows', async () => {
    const REQUESTS = 30;
    const therapist = await createTherapist(a.em());
    const patients = [];
    for (let index = 0; index < REQUESTS; index++) patients.push(await createPatient(a.em()));
    const started = Date.now();
    const responses = await Promise.all(
      patients.map((patient, index) =>
        instance(index)
          .http.post('/api/sessions')
          .send({
            therapist_id: therapist.id,
            patient_id: patient.id,
            date: new Date(Date.parse('2031-03-04T10:00:00Z') + index * MINUTE).toISOString(),
          }),
      ),
    );
    const elapsed = Date.now() - started;
    const overlaps = await count(
      `select count(*) from therapy_session x join therapy_session y
          on x.therapist_id = y.therapist_id and x.id < y.id
         and tstzrange(x.starts_at, x.ends_at) && tstzrange(y.starts_at, y.ends_at)
       where x.therapist_id = ? and x.status not in ('Cancelled', 'Late-Cancelled')
         and y.status not in ('Cancelled', 'Late-Cancelled')`,
      [therapist.id],
    );
    console.info(
      `Two instances, ${REQUESTS} concurrent bookings (one therapist): ${statusSummary(responses)}, ` +
        `${overlaps} overlapping rows (${elapsed} ms)`,
    );
    expect(withStatus(responses, 201)).toHaveLength(1);
    expect(withStatus(responses, 409)).toHaveLength(REQUESTS - 1);
    for (const refused of withStatus(responses, 409)) {
      expect(problemOf(refused, 409).type).toBe('/problems/session-overlap');
    }
    expect(overlaps).toBe(0);
    expect(await count('select count(*) from therapy_session where therapist_id = ?', [therapist.id])).toBe(
      1,
    );
  });

  it('20 concurrent PATCHes with the same If-Match: 1 × 200, 19 × 412, no lost update', async () => {
    const WRITERS = 20;
    const session = await createSession(a.em(), { startsAt: new Date(Date.now() + 3 * DAY) });
    const { version } = sessionOf(await a.http.get(`/api/sessions/${session.id}`).expect(200));
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, index) =>
        instance(index)
          .http.patch(`/api/sessions/${session.id}`)
          .set('If-Match', `"${version}"`)
          .send({ notes: `Writer ${index}` }),
      ),
    );
    const final = sessionOf(await b.http.get(`/api/sessions/${session.id}`).expect(200));
    console.info(
      `Two instances, ${WRITERS} concurrent PATCHes with If-Match "${version}": ${statusSummary(responses)}; ` +
        `final version ${final.version}`,
    );
    const [winner, ...others] = withStatus(responses, 200);
    expect(others).toEqual([]);
    expect(withStatus(responses, 412)).toHaveLength(WRITERS - 1);
    if (!winner) throw new Error('no PATCH succeeded');
    expect(final).toMatchObject({ notes: sessionOf(winner).notes, version: version + 1 });
  });

  it('one Idempotency-Key sent to both instances at once creates one session; replays are identical', async () => {
    const REQUESTS = 20;
    const [therapist, patient] = [await createTherapist(a.em()), await createPatient(a.em())];
    const key = `two-instances-${process.pid}-${Date.now()}`;
    const body = { therapist_id: therapist.id, patient_id: patient.id, date: '2031-04-07T09:00:00.000Z' };
    // Keys are scoped per user: one integrator's token, sent to both instances.
    const post = (app: TestApp): Promise<Response> =>
      app.anonymous
        .post('/api/sessions')
        .set('Authorization', `Bearer ${a.adminToken}`)
        .set('Idempotency-Key', key)
        .send(body);
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, index) => post(instance(index))),
    );
    const replays = [await post(a), await post(b)];
    const created = await count('select count(*) from therapy_session where therapist_id = ?', [
      therapist.id,
    ]);
    console.info(
      `Two instances, ${REQUESTS} concurrent POSTs with one Idempotency-Key: ${statusSummary(responses)}, ` +
        `then a retry on each: ${statusSummary(replays)} (replayed: ${replays.map((r) => r.headers['idempotent-replayed']).join(', ')}); ` +
        `${created} session created`,
    );
    expect(created).toBe(1);
    // Another user's same key is another request: it runs (and meets the booked slot) instead of replaying.
    const otherUser = await b.http.post('/api/sessions').set('Idempotency-Key', key).send(body);
    expect(problemOf(otherUser, 409).type).toBe('/problems/session-overlap');
    expect(otherUser.headers['idempotent-replayed']).toBeUndefined();
    const ok = withStatus(responses, 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const refused of withStatus(responses, 409)) {
      expect(problemOf(refused, 409).type).toBe('/problems/idempotency-key-in-use');
    }
    expect(ok.length + withStatus(responses, 409).length).toBe(REQUESTS);
    for (const response of [...ok, ...replays]) {
      expect(response.status).toBe(201);
      expect(response.text).toBe(ok[0]?.text);
      expect(response.headers.location).toBe(ok[0]?.headers.location);
    }
    for (const replay of replays) expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
