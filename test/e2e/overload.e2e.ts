import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { TherapistListResponse } from '../../src/therapists/dto/therapist.dto.js';
import { withAdminClient } from '../setup/test-database-server.js';
import { createTherapist } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Overload: more concurrent requests than connections. The test holds an exclusive lock on `therapist` on a
 * connection of its own, so the app's queries on it wait for as long as the test decides, not for a time the
 * test has to guess. A first request's two queries (page and count run together) then hold both connections of
 * the pool; the other clients cannot get one, and must be answered 503 while those connections are still busy:
 * shed after DATABASE_CONNECT_TIMEOUT_MS, not queued until a connection frees.
 */
const POOL_MAX = 2;
const CLIENTS = 200;
/** Only a bound so that a broken app fails the test instead of hanging it; nothing is asserted about time. */
const WAIT_LIMIT_MS = 30_000;

interface Answer {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: string;
  ms: number;
}

/** A real HTTP request (fetch opens a connection for each one in flight); a network failure is status 0. */
async function get(url: string, token: string): Promise<Answer> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const body = await response.text();
    const { headers } = response;
    return {
      status: response.status,
      retryAfter: headers.get('retry-after'),
      contentType: headers.get('content-type'),
      body,
      ms: ms(),
    };
  } catch (error) {
    return { status: 0, retryAfter: null, contentType: null, body: String(error), ms: ms() };
  }
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > WAIT_LIMIT_MS) throw new Error(`Still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The app's queries waiting for the test's lock on `therapist` (pg_locks is read live, even in a transaction). */
async function queriesWaitingOnLock(locker: pg.Client): Promise<number> {
  const { rows } = await locker.query<{ waiting: number }>(
    `select count(*)::int as waiting from pg_locks where relation = 'therapist'::regclass and not granted`,
  );
  return rows[0]?.waiting ?? 0;
}

describe('overload', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({
      DATABASE_POOL_MAX: String(POOL_MAX),
      DATABASE_CONNECT_TIMEOUT_MS: '300',
      // Longer than the test holds its lock: the blocked queries end when the test releases it, never before.
      DATABASE_STATEMENT_TIMEOUT_MS: '120000',
    });
    base = await t.listen();
    await createTherapist(t.em(), { name: 'Ada Overload' });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it(`sheds ${CLIENTS} concurrent requests that get no connection with 503 and Retry-After while the pool is busy, and recovers`, async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const url = `${base}/api/therapists`;

    await withAdminClient(t.databaseUrl, async (locker) => {
      await locker.query('begin');
      await locker.query('lock table therapist in access exclusive mode');

      let firstSettled = false;
      const first = get(url, t.adminToken).finally(() => {
        firstSettled = true;
      });
      await waitFor(`${POOL_MAX} queries of the first request to wait on the lock`, async () => {
        return (await queriesWaitingOnLock(locker)) === POOL_MAX;
      });

      const answered: Answer[] = [];
      const rest = Array.from({ length: CLIENTS - 1 }, () =>
        get(url, t.adminToken).then((answer) => {
          answered.push(answer);
          return answer;
        }),
      );
      await waitFor(`${CLIENTS - 1} answers while the lock is held (are they queued, not shed?)`, () => {
        return answered.length === CLIENTS - 1;
      });

      // Every one of them was answered while the pool's connections were still held by the first request.
      expect(firstSettled).toBe(false);
      expect(await queriesWaitingOnLock(locker)).toBe(POOL_MAX);
      for (const answer of answered) {
        expect(answer).toMatchObject({ status: 503, retryAfter: '5' });
        expect(answer.contentType).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
      }
      // …because no connection came free in time, not for another reason (e.g. a statement timeout). At least one
      // line each: how many depends on how many of a request's steps wait for the pool.
      const logged = errors.mock.calls.map(([line]) => String(line));
      expect(logged.length).toBeGreaterThanOrEqual(answered.length);
      for (const line of logged) {
        expect(line).toMatch(
          /^GET \/api\/therapists: database unavailable \(timeout exceeded when trying to connect/,
        );
      }

      await locker.query('rollback');
      const released = await first;
      expect(released.status).toBe(200);
      expect(
        (JSON.parse(released.body) as TherapistListResponse).data.map((therapist) => therapist.name),
      ).toEqual(['Ada Overload']);
      await Promise.all(rest);

      const shedMs = answered.map((answer) => answer.ms);
      console.info(
        `Overload, pool of ${POOL_MAX} held by a lock: ${CLIENTS - 1} of ${CLIENTS} concurrent GET /api/therapists ` +
          `answered 503 in ${Math.min(...shedMs)}–${Math.max(...shedMs)} ms (connect timeout 300 ms); ` +
          `the first answered 200 once the lock was released (${released.ms} ms)`,
      );
    });

    const after = await get(url, t.adminToken);
    expect(after.status).toBe(200);
  });
});
