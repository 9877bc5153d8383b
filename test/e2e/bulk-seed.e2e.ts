import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Temporal } from 'temporal-polyfill';
import { bulkSeed, type BulkSeedSummary } from '../../src/database/seed/bulk-seed.js';
import { createTestDatabase } from '../utils/test-app.js';

/** `db:seed -- --therapists N --patients N --sessions N`, small: the rules hold and every constraint is back. */
describe('bulk seed', () => {
  let database: { url: string; drop: () => Promise<void> };
  let client: pg.Client;
  let summary: BulkSeedSummary;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    summary = await bulkSeed(
      database.url,
      { therapists: 7, patients: 60, sessions: 5003, timeZone: 'Europe/Berlin', streams: 2 },
      (line) => lines.push(line),
    );
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  const one = async <T>(sql: string): Promise<T> => (await client.query(sql)).rows[0] as T;

  it('writes exactly what was asked for, with a realistic status mix', async () => {
    expect(await one('select count(*)::int as n from therapy_session')).toEqual({ n: 5003 });
    expect(await one('select count(*)::int as n from patient')).toEqual({ n: 60 });
    expect(await one('select count(*)::int as n from therapist')).toEqual({ n: 7 });
    expect(summary.byStatus.Completed).toBeGreaterThan(summary.byStatus['No-Show'] ?? 0);
    expect(summary.byStatus.Scheduled).toBeGreaterThan(0);
    expect(
      await one(
        `select count(*)::int as n from therapy_session where status = 'Scheduled' and starts_at < now()`,
      ),
    ).toEqual({ n: 0 });
    expect(summary.phases.map(([phase]) => phase)).toContain('B-tree indexes');
  });

  it('puts back every index and foreign key, validated', async () => {
    const template = new pg.Client({
      connectionString: database.url.replace(/\/[^/]+$/, `/${process.env.TEST_TEMPLATE_DATABASE}`),
    });
    await template.connect();
    const definitions = `select conname || ' ' || convalidated as c from pg_constraint where conrelid = 'therapy_session'::regclass
      union all select indexname from pg_indexes where tablename = 'therapy_session' order by 1`;
    const expected = (await template.query(definitions)).rows;
    await template.end();
    expect((await client.query(definitions)).rows).toEqual(expected);
    expect(expected.length).toBeGreaterThan(10);
  });

  it('keeps sessions inside working hours, with nobody double-booked', async () => {
    expect(
      await one(`select count(*)::int as n from therapy_session s
        where extract(isodow from s.starts_at at time zone 'Europe/Berlin') > 5
           or (s.starts_at at time zone 'Europe/Berlin')::time < '09:00'
           or (s.ends_at at time zone 'Europe/Berlin')::time > '17:00'`),
    ).toEqual({ n: 0 });
    const overlapping = `select count(*)::int as n from therapy_session a join therapy_session b
      on a.id < b.id and a.COLUMN = b.COLUMN and a.starts_at < b.ends_at + interval '10 minutes' and b.starts_at < a.ends_at + interval '10 minutes'`;
    expect(await one(overlapping.replaceAll('COLUMN', 'therapist_id'))).toEqual({ n: 0 });
    expect(await one(overlapping.replaceAll('COLUMN', 'patient_id'))).toEqual({ n: 0 });
  });

  it('recounts the stats aggregate the triggers would have kept', async () => {
    const difference = `(select therapist_id, (starts_at at time zone 'Europe/Berlin')::date as day, status,
        count(*)::int as sessions, sum(duration_minutes)::int as booked_minutes from therapy_session group by 1, 2, 3
      except select therapist_id, day, status, sessions, booked_minutes from session_daily_stats)`;
    expect(await one(`select count(*)::int as n from ${difference} as missing`)).toEqual({ n: 0 });
    expect(await one('select sum(sessions)::int as n from session_daily_stats')).toEqual({ n: 5003 });
    expect(await one('select time_zone from session_stats_zone')).toEqual({ time_zone: 'Europe/Berlin' });
  });

  it('audits the load with one summary event and refuses a database that has data', async () => {
    expect(await one(`select detail from audit_event where detail ->> 'source' = 'bulk seed'`)).toEqual({
      detail: { source: 'bulk seed', count: 5003 },
    });
    await expect(
      bulkSeed(
        database.url,
        { therapists: 1, patients: 1, sessions: 1, timeZone: 'UTC', streams: 1 },
        () => {},
      ),
    ).rejects.toThrow('already has data');
  });

  it('spans past and future weeks around today', async () => {
    const today = Temporal.Now.plainDateISO('Europe/Berlin').toString();
    const { past, future } = await one<{ past: number; future: number }>(
      `select count(*) filter (where starts_at < '${today}')::int as past, count(*) filter (where starts_at >= '${today}')::int as future from therapy_session`,
    );
    expect(past).toBeGreaterThan(future);
    expect(future).toBeGreaterThan(0);
  });
});
