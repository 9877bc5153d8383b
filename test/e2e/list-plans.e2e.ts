import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { Temporal } from 'temporal-polyfill';
import { DEFAULT_PAGE_SIZE } from '../../src/common/pagination/page.js';
import { startOfDay } from '../../src/common/time/date-range.js';
import { WEEK_THERAPISTS } from '../../src/calendar/calendar.view.js';
import { DAY_SHEET_COLUMNS } from '../../src/day-sheet/day-sheet.service.js';
import { createOrmConfig } from '../../src/database/orm.config.js';
import { bulkSeed } from '../../src/database/seed/bulk-seed.js';
import { SESSION_SORTS, type SessionSort } from '../../src/sessions/dto/session.dto.js';
import { keyOf } from '../../src/sessions/session-list.cursor.js';
import { EXACT_TOTAL_LIMIT, type SessionListRow } from '../../src/sessions/session-list.sql.js';
import { Session } from '../../src/sessions/session.entity.js';
import {
  pageStatements,
  type SessionFilter,
  type SessionListCriteria,
  type SessionRepository,
} from '../../src/sessions/session.repository.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { createTestDatabase } from '../utils/test-app.js';

/**
 * Every list query of the API and the pages, explained on 100 000 sessions: each must be served by an index, so
 * none reads the whole sessions table (Seq Scan) or sorts more than about a page of rows. The SQL is what the app
 * sends: the list's statements from the functions its repository calls, the calendar's and day sheet's as the ORM
 * emits them (captured from its query log, parameters inlined as it sends them).
 *
 * The plans are stable because the table is ANALYZEd after the load: the planner then knows 100 000 rows spread
 * over ~80 weeks, 50 therapists and 5 000 patients, so its choice depends on the data's shape, not on the
 * default estimates of a never-analyzed table. What is tested is that a fast plan exists and is chosen at scale.
 */
const SCALE = { therapists: 50, patients: 5_000, sessions: 100_000 };
const PAGE = DEFAULT_PAGE_SIZE;
/** A sort of up to this many rows is a page (plus the row that says whether another follows), not the table. */
const MAX_SORTED_ROWS = 2 * PAGE;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  'Sort Key'?: string[];
  'Presorted Key'?: string[];
  Filter?: string;
  Plans?: PlanNode[];
}

/** Nodes that read all their input before they return a row. */
const BLOCKING = new Set(['Hash', 'Sort', 'Incremental Sort', 'Aggregate', 'Materialize', 'Memoize']);

/**
 * What is wrong with a plan: a sort of more than `maxSorted` rows, or a sequential scan of the sessions. One
 * scan is no fault: an unfiltered one that streams into a Limit of at most the count's cap (the capped count of an
 * unfiltered list), since it stops after that many rows, whatever the table's size.
 */
function faultsOf(plan: PlanNode, maxSorted: number): string[] {
  const faults: string[] = [];
  const visit = (node: PlanNode, limit: number): void => {
    const type = node['Node Type'];
    const input = node.Plans?.[0]?.['Plan Rows'] ?? 0;
    // An Incremental Sort presorted by a person's name sorts one person's sessions at a time (README).
    const byPerson = type === 'Incremental Sort' && /^[tp]\.name$/.test(node['Presorted Key']?.[0] ?? '');
    if ((type === 'Sort' || (type === 'Incremental Sort' && !byPerson)) && input > maxSorted) {
      faults.push(`${type} of ${input} rows by ${(node['Sort Key'] ?? []).join(', ')}`);
    }
    if (
      type === 'Seq Scan' &&
      node['Relation Name'] === 'therapy_session' &&
      (node.Filter || limit === Infinity)
    ) {
      faults.push(`Seq Scan on therapy_session${node.Filter ? ` filtering ${node.Filter}` : ''}`);
    }
    const below = type === 'Limit' && node['Plan Rows'] <= EXACT_TOTAL_LIMIT + 1 ? node['Plan Rows'] : limit;
    for (const child of node.Plans ?? []) visit(child, BLOCKING.has(type) ? Infinity : below);
  };
  visit(plan, Infinity);
  return faults;
}

/** The statements the app's connections send, as they send them (the ORM inlines its parameters; raw SQL binds). */
const sent: { sql: string; params: unknown[] }[] = [];
const recorded = new WeakSet<pg.PoolClient>();

function record(client: pg.PoolClient): void {
  if (recorded.has(client)) return;
  recorded.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  Object.assign(client, {
    query: (text: unknown, values?: unknown, ...rest: unknown[]): unknown => {
      const config =
        typeof text === 'string' ? { text, values } : (text as { text?: string; values?: unknown });
      if (typeof config.text === 'string') {
        sent.push({ sql: config.text, params: Array.isArray(config.values) ? config.values : [] });
      }
      return query(text, values, ...rest);
    },
  });
}

let database: { url: string; drop: () => Promise<void> };
let client: pg.Client;
let orm: MikroORM;
let therapistId: number;
let patientId: number;
let patientName: string;
const today = Temporal.Now.plainDateISO('UTC');

beforeAll(async () => {
  database = await createTestDatabase();
  await bulkSeed(database.url, { ...SCALE, timeZone: 'UTC', streams: 2 }, () => {});
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  // The seed ends with VACUUM ANALYZE; said again here because these plans depend on those statistics.
  await client.query('analyze therapy_session, therapist, patient');
  const busiest = await client.query<{ therapist_id: number; patient_id: number; name: string }>(
    `select s.therapist_id, s.patient_id, p.name from therapy_session s join patient p on p.id = s.patient_id
     order by s.id limit 1`,
  );
  const [first] = busiest.rows;
  if (!first) throw new Error('the seed made no sessions');
  ({ therapist_id: therapistId, patient_id: patientId, name: patientName } = first);
  orm = await MikroORM.init(createOrmConfig(database.url, { preferTs: true }));
  const pool = await orm.em.getConnection().getNativeClient();
  pool.on('acquire', record);
}, 120_000);
afterAll(async () => {
  await orm.close();
  await client.end();
  await database.drop();
});

const explain = async (sql: string, params: unknown[] = []): Promise<PlanNode> => {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json) ${sql}`,
    params,
  );
  const [row] = rows;
  if (!row) throw new Error(`no plan for ${sql}`);
  return row['QUERY PLAN'][0].Plan;
};

const criteriaOf = (filter: SessionFilter, sort: SessionSort = 'date'): SessionListCriteria => ({
  ...filter,
  sort,
  order: 'asc',
  page: 1,
  pageSize: PAGE,
});

/** A cursor page: the rows after (or before) a row of the first page, by that row's sort key as cursors carry it. */
async function cursorPage(
  criteria: SessionListCriteria,
  direction: 'next' | 'prev',
): Promise<SessionListCriteria> {
  const { rows: statement } = pageStatements(criteria);
  const { rows } = await client.query<SessionListRow>(statement.sql, statement.params);
  const row = rows[Math.floor(rows.length / 2)];
  if (!row) throw new Error(`no rows for ${statement.sql}`);
  return { ...criteria, cursor: { direction, key: keyOf(row, criteria.sort) } };
}

const FILTERS: [string, () => SessionFilter][] = [
  ['no filter', () => ({})],
  ['therapist_id', () => ({ therapistId })],
  ['patient_id', () => ({ patientId })],
  ['status', () => ({ status: SessionStatus.Scheduled })],
  ['from (the pages’ default: upcoming)', () => ({ from: startOfDay(today, 'UTC') })],
  ['from and to (a month)', () => monthAgo()],
  ['q: a patient’s name', () => ({ q: patientName })],
  ['q: one common letter', () => ({ q: 'a' })],
  ['a therapist’s own view', () => ({ visibleTo: therapistId })],
];

function monthAgo(): SessionFilter {
  return {
    from: startOfDay(today.subtract({ months: 2 }), 'UTC'),
    to: startOfDay(today.subtract({ months: 1 }), 'UTC'),
  };
}

it('flags a sequential scan and a sort of the table (the check itself)', async () => {
  const plan = await explain(
    `select s.id from therapy_session s where s.notes is null order by s.duration_minutes, s.id limit ${PAGE}`,
  );
  expect(faultsOf(plan, MAX_SORTED_ROWS)).toEqual([
    expect.stringMatching(/^Sort of \d{5,} rows by duration_minutes, id$/),
    'Seq Scan on therapy_session filtering (notes IS NULL)',
  ]);
});

describe('the list (GET /api/sessions and /sessions)', () => {
  const cases = FILTERS.flatMap(([name, filter]) =>
    SESSION_SORTS.map((sort) => [`${name}, sort=${sort}`, filter, sort] as const),
  );

  it.each(cases)('%s: rows of the first and a cursor page, and the capped count', async (_, filter, sort) => {
    const first = criteriaOf(filter(), sort);
    const statements = [
      pageStatements(first).rows,
      pageStatements(first).count,
      pageStatements(await cursorPage(first, 'next')).rows,
      pageStatements(await cursorPage(first, 'prev')).rows,
      pageStatements(await cursorPage({ ...first, order: 'desc' }, 'next')).rows,
    ];
    for (const statement of statements) {
      const plan = await explain(statement.sql, statement.params);
      expect({ sql: statement.sql, faults: faultsOf(plan, MAX_SORTED_ROWS) }).toEqual({
        sql: statement.sql,
        faults: [],
      });
    }
  });
});

/**
 * The statements a repository call sends, each explained. A calendar's or day's window is its page: sorting the
 * sessions it shows (at most twice as many as it returned, for the planner's misestimates) is fine.
 */
async function faultsOfCall(read: (sessions: SessionRepository) => Promise<unknown[]>): Promise<string[]> {
  sent.length = 0;
  const shown = (await read(orm.em.fork().getRepository(Session))).length;
  const selects = sent.filter((statement) => /^\s*select\b[\s\S]*\btherapy_session\b/i.test(statement.sql));
  expect(selects.length).toBeGreaterThan(0);
  const maxSorted = 2 * Math.max(PAGE, shown);
  const faults = await Promise.all(
    selects.map(async ({ sql, params }) => faultsOf(await explain(sql, params), maxSorted)),
  );
  return faults.flat();
}

describe('the calendar and the day sheet (a page of therapists each)', () => {
  const monday = today.subtract({ days: today.dayOfWeek - 1 });
  const week = { from: startOfDay(monday, 'UTC'), to: startOfDay(monday.add({ weeks: 1 }), 'UTC') };
  const day = { from: startOfDay(today, 'UTC'), to: startOfDay(today.add({ days: 1 }), 'UTC') };
  /** The first `count` therapists in the order the views page them (by name). */
  const firstTherapists = async (count: number): Promise<number[]> =>
    (
      await client.query<{ id: number }>('select id from therapist order by name, id limit $1', [count])
    ).rows.map((row) => row.id);

  it('the week of everyone (/calendar: its first page of therapists)', async () => {
    const therapistIds = await firstTherapists(WEEK_THERAPISTS);
    const faults = await faultsOfCall((sessions) => sessions.findStartingBetween({ ...week, therapistIds }));
    expect(faults).toEqual([]);
  });

  it('the week of one therapist (/calendar?therapist_id=…)', async () => {
    const faults = await faultsOfCall((sessions) => sessions.findStartingBetween({ ...week, therapistId }));
    expect(faults).toEqual([]);
  });

  it('who sees someone today, and the sessions of the first page of them (/day)', async () => {
    expect(
      await faultsOfCall((sessions) => sessions.findTherapistIdsStartingBetween(day.from, day.to)),
    ).toEqual([]);
    const therapistIds = await firstTherapists(DAY_SHEET_COLUMNS);
    const faults = await faultsOfCall((sessions) => sessions.findStartingBetween({ ...day, therapistIds }));
    expect(faults).toEqual([]);
  });
});
