import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import type { SessionResponse } from '../../src/sessions/dto/session.dto.js';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import {
  cancelledOf,
  fieldsOf,
  patientOf,
  problemOf,
  seriesOf,
  sessionOf,
  statusSummary,
  withStatus,
} from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Optimistic concurrency control (ETag / If-Match → 412, no lost update under 20 concurrent writers) and
 * Idempotency-Key on POST (a retry replays the first answer and creates nothing).
 */

const DAY = 86_400_000;
const CONCURRENT = 20;

let keySequence = 0;
const newKey = (): string => `test-key-${process.pid}-${++keySequence}`;

describe('concurrency control', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const newSession = async (): Promise<SessionResponse> => {
    const session = await createSession(t.em(), { startsAt: new Date(Date.now() + 3 * DAY) });
    return current(session.id);
  };
  const { current, history } = schedulingHelpers(() => t);
  const patch = (id: number, body: object, ifMatch?: string): Test => {
    const request = t.http.patch(`/api/sessions/${id}`);
    return (ifMatch === undefined ? request : request.set('If-Match', ifMatch)).send(body);
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [row] = await t.em().execute<{ count: string }[]>(sql, params);
    return Number(row?.count);
  };

  describe('ETag', () => {
    it('every session response carries ETag "<version>": POST, GET, PATCH', async () => {
      const em = t.em();
      const [therapist, patient] = [await createTherapist(em), await createPatient(em)];
      const created = await t.http
        .post('/api/sessions')
        .send({ therapist_id: therapist.id, patient_id: patient.id, date: '2031-01-07T09:00:00Z' })
        .expect(201);
      expect(created.headers.etag).toBe('"1"');
      const id = sessionOf(created).id;
      const read = await t.http.get(`/api/sessions/${id}`).expect(200);
      expect(read.headers.etag).toBe('"1"');
      const changed = await patch(id, { notes: 'First' }).expect(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(sessionOf(changed).version).toBe(2);
      expect((await t.http.get(`/api/sessions/${id}`).expect(200)).headers.etag).toBe('"2"');
      const cancelled = await t.http
        .post(`/api/sessions/${id}/cancel`)
        .set('If-Match', '"2"')
        .send({ reason: 'Therapist ill' })
        .expect(200);
      expect(cancelled.headers.etag).toBe('"3"');
      expect((cancelled.body as { data: { version: number }[] }).data[0]?.version).toBe(3);
    });
  });

  describe('If-Match', () => {
    it('with the current version → 200 and the next ETag', async () => {
      const session = await newSession();
      const response = await patch(session.id, { notes: 'Matched' }, `"${session.version}"`).expect(200);
      expect(response.headers.etag).toBe(`"${session.version + 1}"`);
      expect(sessionOf(response)).toMatchObject({ notes: 'Matched', version: session.version + 1 });
    });

    it('with a stale version → 412 naming the current version, and nothing changes', async () => {
      const session = await newSession();
      await patch(session.id, { notes: 'Someone else' }, `"${session.version}"`).expect(200);
      const before = await current(session.id);
      const events = await history(session.id);
      for (const body of [
        { notes: 'Mine' },
        { status: 'Cancelled', reason: 'Ill' },
        { date: '2031-01-08T09:00:00Z' },
      ]) {
        const problem = problemOf(await patch(session.id, body, `"${session.version}"`), 412);
        expect(problem).toMatchObject({ type: '/problems/precondition-failed', current_version: 2 });
      }
      expect(problemOf(await patch(session.id, { notes: 'Ahead' }, '"99"'), 412).current_version).toBe(2);
      expect(await current(session.id)).toEqual(before);
      expect(await history(session.id)).toEqual(events);
    });

    it('a stale version on POST /:id/cancel → 412, nothing cancelled', async () => {
      const session = await newSession();
      await patch(session.id, { notes: 'Bumped' }).expect(200);
      const response = await t.http
        .post(`/api/sessions/${session.id}/cancel`)
        .set('If-Match', '"1"')
        .send({ reason: 'Ill' });
      expect(problemOf(response, 412).current_version).toBe(2);
      expect((await current(session.id)).status).toBe('Scheduled');
      const cancelled = await t.http
        .post(`/api/sessions/${session.id}/cancel`)
        .set('If-Match', '"2"')
        .send({ reason: 'Ill' })
        .expect(200);
      expect(cancelledOf(cancelled)[0]).toMatchObject({ status: 'Cancelled', version: 3 });
    });

    it.each(['2', 'abc', '"1', '"1" "2"'])(
      'a malformed If-Match %s → 400 naming If-Match, nothing changes',
      async (header) => {
        const session = await newSession();
        const problem = problemOf(await patch(session.id, { notes: 'Nope' }, header), 400);
        expect(fieldsOf(problem)).toEqual(['If-Match']);
        expect(await current(session.id)).toEqual(session);
      },
    );

    it.each(['W/"1"', '""', '"abc"', '"12345678901"'])(
      'an If-Match %s that cannot name the current version (weak tags never match) → 412, nothing changes',
      async (header) => {
        const session = await newSession();
        expect(problemOf(await patch(session.id, { notes: 'Nope' }, header), 412).current_version).toBe(1);
        expect(await current(session.id)).toEqual(session);
      },
    );

    it('a list of ETags matches when it names the current version', async () => {
      const session = await newSession();
      expect(sessionOf(await patch(session.id, { notes: 'Listed' }, '"7", "1"').expect(200)).version).toBe(2);
    });

    it('without If-Match (or with *) a PATCH still works, as the seed’s clients send it', async () => {
      const session = await newSession();
      expect(sessionOf(await patch(session.id, { notes: 'No header' }).expect(200)).version).toBe(2);
      expect(sessionOf(await patch(session.id, { notes: 'Star' }, '*').expect(200)).version).toBe(3);
    });

    it('an unknown session is 404 whatever the If-Match', async () => {
      problemOf(await patch(999_999, { notes: 'x' }, '"1"'), 404);
    });

    it(`${CONCURRENT} concurrent PATCHes with the same If-Match: one 200, the rest 412, no lost update`, async () => {
      const session = await newSession();
      const started = Date.now();
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, index) =>
          patch(session.id, { notes: `Writer ${index}` }, `"${session.version}"`),
        ),
      );
      const elapsed = Date.now() - started;
      const final = await current(session.id);
      const events = await history(session.id);
      console.info(
        `${CONCURRENT} concurrent PATCHes with If-Match "${session.version}": ${statusSummary(responses)}; ` +
          `final version ${final.version}, ${events.length} history entries (${elapsed} ms)`,
      );
      const winners = withStatus(responses, 200);
      expect(winners).toHaveLength(1);
      expect(withStatus(responses, 412)).toHaveLength(CONCURRENT - 1);
      for (const loser of withStatus(responses, 412)) {
        expect(problemOf(loser, 412)).toMatchObject({
          type: '/problems/precondition-failed',
          current_version: session.version + 1,
        });
      }
      const [winner] = winners;
      if (!winner) throw new Error('no PATCH succeeded');
      expect(final).toEqual(sessionOf(winner));
      expect(final).toMatchObject({ notes: sessionOf(winner).notes, version: session.version + 1 });
      expect(events).toEqual([
        expect.objectContaining({ type: 'notes_changed', after: { notes: final.notes } }),
      ]);
    });

    it(`${CONCURRENT} concurrent PATCHes without If-Match: all 200, each one applied and recorded`, async () => {
      const session = await newSession();
      const started = Date.now();
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, index) => patch(session.id, { notes: `Appender ${index}` })),
      );
      const elapsed = Date.now() - started;
      const final = await current(session.id);
      const events = await history(session.id);
      console.info(
        `${CONCURRENT} concurrent PATCHes without If-Match: ${statusSummary(responses)}; version ` +
          `${session.version} → ${final.version}, ${events.length} notes_changed entries (${elapsed} ms)`,
      );
      expect(withStatus(responses, 200)).toHaveLength(CONCURRENT);
      const versions = responses.map((response) => sessionOf(response).version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: CONCURRENT }, (_, index) => session.version + 1 + index));
      expect(final.version).toBe(session.version + CONCURRENT);
      expect(events.map((event) => event.type)).toEqual(Array<string>(CONCURRENT).fill('notes_changed'));
      // Each entry's "before" is the previous entry's "after": the writers took turns, none was lost.
      let previous: unknown = null;
      for (const event of events) {
        expect(event.before).toEqual({ notes: previous });
        previous = event.after?.notes;
      }
      expect(previous).toBe(final.notes);
      expect(new Set(events.map((event) => event.after?.notes)).size).toBe(CONCURRENT);
    });
  });

  describe('Idempotency-Key', () => {
    let therapist: Therapist;
    let patient: Patient;
    let slot = 0;

    beforeAll(async () => {
      therapist = await createTherapist(t.em());
      patient = await createPatient(t.em());
    });

    /** A body for a new, free slot each time (2031, one day apart). */
    const sessionBody = (): Record<string, unknown> => ({
      therapist_id: therapist.id,
      patient_id: patient.id,
      date: new Date(Date.UTC(2031, 0, 6, 9) + ++slot * DAY).toISOString(),
    });
    const post = (path: string, key: string, body: object): Test =>
      t.http.post(path).set('Idempotency-Key', key).send(body);
    const sessionsOfTherapist = (): Promise<number> =>
      count('select count(*) from therapy_session where therapist_id = ?', [therapist.id]);

    it('POST /api/sessions: a retry with the same key and body replays the first answer, creating nothing', async () => {
      const key = newKey();
      const body = sessionBody();
      const before = await sessionsOfTherapist();
      const first = await post('/api/sessions', key, body).expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const retries = [await post('/api/sessions', key, body), await post('/api/sessions', key, body)];
      for (const retry of retries) {
        expect(retry.status).toBe(201);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        expect(retry.headers.location).toBe(first.headers.location);
        expect(retry.headers.etag).toBe(first.headers.etag);
        expect(retry.headers['content-type']).toMatch(/^application\/json/);
        expect(retry.body).toEqual(first.body);
        expect(retry.text).toBe(first.text);
      }
      expect(await sessionsOfTherapist()).toBe(before + 1);
      console.info(
        `Idempotency-Key: 1 request + 2 retries → ${[first, ...retries].map((r) => r.status).join(', ')}, ` +
          `${(await sessionsOfTherapist()) - before} session created`,
      );
    });

    it('the same key with another body → 422, nothing created', async () => {
      const key = newKey();
      await post('/api/sessions', key, sessionBody()).expect(201);
      const before = await sessionsOfTherapist();
      const problem = problemOf(await post('/api/sessions', key, sessionBody()), 422);
      expect(problem.type).toBe('/problems/idempotency-key-reused');
      expect(await sessionsOfTherapist()).toBe(before);
    });

    it('a key names one request on one endpoint: the same key on another endpoint → 422; a trailing slash is the same endpoint', async () => {
      const key = newKey();
      const body = sessionBody();
      const first = await post('/api/sessions', key, body).expect(201);
      const retry = await post('/api/sessions/', key, body).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.text).toBe(first.text);
      const before = await sessionsOfTherapist();
      const series = { ...sessionBody(), frequency: 'weekly', occurrences: 2 };
      const elsewhere = problemOf(await post('/api/sessions/series', key, series), 422);
      expect(elsewhere.type).toBe('/problems/idempotency-key-reused');
      const sessionId = (first.body as { id: number }).id;
      const cancel = { reason: 'Patient is unwell' };
      const cancelKey = newKey();
      await post(`/api/sessions/${sessionId}/cancel`, cancelKey, cancel).expect(200);
      const other = (await t.http.post('/api/sessions').send(sessionBody()).expect(201)).body as {
        id: number;
      };
      problemOf(await post(`/api/sessions/${other.id}/cancel`, cancelKey, cancel), 422);
      expect((await t.http.get(`/api/sessions/${other.id}`)).body).toMatchObject({ status: 'Scheduled' });
      expect(await sessionsOfTherapist()).toBe(before + 1);
    });

    it('a request that failed keeps nothing: a corrected retry with the same key runs', async () => {
      const key = newKey();
      const body = sessionBody();
      const before = await sessionsOfTherapist();
      const invalid = await post('/api/sessions', key, { ...body, date: '2031-02-01T09:00:00' });
      expect(fieldsOf(problemOf(invalid, 400))).toEqual(['date']);
      // The same failing body is not replayed either: it runs again and fails again.
      problemOf(await post('/api/sessions', key, { ...body, date: '2031-02-01T09:00:00' }), 400);
      const corrected = await post('/api/sessions', key, body).expect(201);
      expect(corrected.headers['idempotent-replayed']).toBeUndefined();
      expect(await sessionsOfTherapist()).toBe(before + 1);
    });

    it('a request refused with 409 keeps nothing either', async () => {
      const taken = sessionBody();
      await t.http.post('/api/sessions').send(taken).expect(201);
      const key = newKey();
      const clash = { ...taken, patient_id: (await createPatient(t.em())).id };
      expect(problemOf(await post('/api/sessions', key, clash), 409).type).toBe('/problems/session-overlap');
      const free = { ...clash, date: new Date(Date.parse(String(taken.date)) + 3 * 3_600_000).toISOString() };
      const retried = await post('/api/sessions', key, free).expect(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
    });

    it.each([
      ['300 characters', 'k'.repeat(300)],
      ['256 characters', 'k'.repeat(256)],
      ['empty', ''],
      ['with a space', 'two words'],
    ])('a malformed key (%s) → 400 naming Idempotency-Key, nothing created', async (_, key) => {
      const before = await sessionsOfTherapist();
      const problem = problemOf(await post('/api/sessions', key, sessionBody()), 400);
      expect(fieldsOf(problem)).toEqual(['Idempotency-Key']);
      expect(await sessionsOfTherapist()).toBe(before);
    });

    it('accepts a key of 255 visible characters', async () => {
      await post(
        '/api/sessions',
        `${'k'.repeat(250)}-${String(++keySequence).padStart(4, '0')}`,
        sessionBody(),
      ).expect(201);
    });

    it('POST /api/sessions/series: a retry replays the series, creating nothing', async () => {
      const key = newKey();
      const body = { ...sessionBody(), frequency: 'weekly', occurrences: 3 };
      slot += 21;
      const seriesBefore = await count('select count(*) from session_series');
      const sessionsBefore = await sessionsOfTherapist();
      const first = await post('/api/sessions/series', key, body).expect(201);
      const retry = await post('/api/sessions/series', key, body).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(seriesOf(retry)).toEqual(seriesOf(first));
      expect(await count('select count(*) from session_series')).toBe(seriesBefore + 1);
      expect(await sessionsOfTherapist()).toBe(sessionsBefore + 3);
      const changed = problemOf(await post('/api/sessions/series', key, { ...body, occurrences: 2 }), 422);
      expect(changed.type).toBe('/problems/idempotency-key-reused');
    });

    it('POST /api/patients: a retry replays the patient, creating nothing', async () => {
      const key = newKey();
      const body = { name: 'Idem Potent', email: `idem-${key}@example.com` };
      const before = await count('select count(*) from patient');
      const first = await post('/api/patients', key, body).expect(201);
      const retry = await post('/api/patients', key, body).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers.location).toBe(first.headers.location);
      expect(patientOf(retry)).toEqual(patientOf(first));
      expect(await count('select count(*) from patient')).toBe(before + 1);
      expect(problemOf(await post('/api/patients', key, { ...body, name: 'Other' }), 422).type).toBe(
        '/problems/idempotency-key-reused',
      );
    });

    it('POST /api/sessions/:id/cancel: a retried cancellation replays its answer', async () => {
      const session = await newSession();
      const key = newKey();
      const first = await post(`/api/sessions/${session.id}/cancel`, key, { reason: 'Ill' }).expect(200);
      const retry = await post(`/api/sessions/${session.id}/cancel`, key, { reason: 'Ill' }).expect(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(cancelledOf(retry)).toEqual(cancelledOf(first));
      expect((await current(session.id)).version).toBe(2);
      // Without the key, the second cancellation is a refused transition.
      problemOf(await t.http.post(`/api/sessions/${session.id}/cancel`).send({ reason: 'Ill' }), 409);
    });

    it('a key reused on another kind of resource → 422, nothing created', async () => {
      const key = newKey();
      await post('/api/sessions', key, sessionBody()).expect(201);
      const before = await count('select count(*) from patient', []);
      const person = problemOf(await post('/api/patients', key, { name: 'Scoped Key' }), 422);
      expect(person.type).toBe('/problems/idempotency-key-reused');
      expect(await count('select count(*) from patient', [])).toBe(before);
    });

    it('a key older than 24 hours is forgotten: the request runs again', async () => {
      const key = newKey();
      const body = { name: 'Twice Created' };
      const first = patientOf(await post('/api/patients', key, body).expect(201));
      await t
        .em()
        .execute(`update idempotency_key set created_at = now() - interval '25 hours' where key = ?`, [key]);
      const again = await post('/api/patients', key, body).expect(201);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(patientOf(again).id).not.toBe(first.id);
    });

    it(`${CONCURRENT} concurrent requests with one key create one session`, async () => {
      const key = newKey();
      const body = sessionBody();
      const before = await sessionsOfTherapist();
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, () => post('/api/sessions', key, body)),
      );
      const created = (await sessionsOfTherapist()) - before;
      console.info(
        `${CONCURRENT} concurrent POSTs with one Idempotency-Key: ${statusSummary(responses)} ` +
          `(${responses.filter((r) => r.headers['idempotent-replayed'] === 'true').length} replayed), ` +
          `${created} session created`,
      );
      expect(created).toBe(1);
      const ok = withStatus(responses, 201);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      for (const response of ok) expect(response.body).toEqual(ok[0]?.body);
      for (const response of withStatus(responses, 409)) {
        expect(problemOf(response, 409).type).toBe('/problems/idempotency-key-in-use');
      }
      expect(ok.length + withStatus(responses, 409).length).toBe(CONCURRENT);
      const replay = await post('/api/sessions', key, body).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });
  });
});
