// The list requests the benchmark sends to the app and to the bare server alike, and the same SQL as pgbench
// scripts (pgbench's `\set` takes numbers only, so the therapist is its variable and the rest are literals).
import pg from 'pg';
import {
  EXACT_TOTAL_LIMIT,
  sessionCappedCountQuery,
  sessionEstimateQuery,
  sessionRowsQuery,
  type SessionListFilter,
  type SessionListRow,
  type Statement,
} from '../src/sessions/session-list.sql.js';
import { encodeCursor, keyOf } from '../src/sessions/session-list.cursor.js';

/** The environment variable that tells bench/bare-server.ts its port. */
export const BARE_PORT_ENV = 'BARE_PORT';

export interface ListRequest {
  name: string;
  /** The request's path and query: a new therapist each time where the request names one. */
  next: () => string;
  /** The same statements for pgbench. */
  pgbench: string;
}

const PAGE_SIZE = 25;
const THERAPIST_MARK = 987_654_321;

/** One statement in pgbench's language: `$n` as literals, the marked therapist as `:t`. */
function pgbenchSql(statement: Statement): string {
  const literal = (value: unknown): string => {
    if (value === THERAPIST_MARK) return ':t';
    if (typeof value === 'number') return String(value);
    if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
    return `'${String(value).replaceAll("'", "''")}'`;
  };
  const sql = statement.sql.replace(/\$(\d+)/g, (_, index: string) =>
    literal(statement.params[Number(index) - 1]),
  );
  return `${sql.replace(/\s+/g, ' ')};`;
}

/** The statements the app's list runs: the page (one row more) and the capped count, and the estimate past it. */
function listScript(
  filter: SessionListFilter,
  extra: { cursorKey?: (string | number)[] },
  capped: boolean,
): string {
  const rows = sessionRowsQuery({
    ...filter,
    sort: 'date',
    order: 'asc',
    limit: PAGE_SIZE + 1,
    cursor: extra.cursorKey ? { direction: 'next', key: extra.cursorKey } : undefined,
  });
  const statements = [
    rows,
    sessionCappedCountQuery(filter),
    ...(capped ? [sessionEstimateQuery(filter)] : []),
  ];
  const uses = statements.some((statement) => statement.params.includes(THERAPIST_MARK));
  return (
    [uses ? '\\set t random(1, 200)' : '', ...statements.map(pgbenchSql)].filter(Boolean).join('\n') + '\n'
  );
}

/** Whether the app would ask the planner for an estimate after the capped count (more than the exact limit). */
async function beyondExact(client: pg.Client, filter: SessionListFilter): Promise<boolean> {
  const count = sessionCappedCountQuery(filter);
  const [row] = (await client.query<{ count: number }>(count.sql, count.params)).rows;
  return (row?.count ?? 0) > EXACT_TOTAL_LIMIT;
}

const randomTherapist = (): number => 1 + Math.floor(Math.random() * 200);

export async function listRequests(databaseUrl: string): Promise<ListRequest[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const year = new Date().getUTCFullYear() - 1;
    const from = new Date(Date.UTC(year, 0, 1));
    const to = new Date(Date.UTC(year + 1, 0, 1));
    const deep = sessionRowsQuery({ sort: 'date', order: 'asc', limit: 1, offset: 49_999 });
    const [row] = (await client.query<SessionListRow>(deep.sql, deep.params)).rows;
    if (!row)
      throw new Error('The benchmark needs a database of at least 50 000 sessions (npm run db:seed -- …).');
    const cursorKey = keyOf(row, 'date');
    const surname = (
      await client.query<{ surname: string }>(
        `select split_part(name, ' ', 2) as surname from patient group by 1 order by count(*) desc limit 1`,
      )
    ).rows[0]?.surname;
    if (!surname) throw new Error('The benchmark needs patients in the database.');
    return [
      {
        name: `filtered: therapist, ${year}, page_size ${PAGE_SIZE}`,
        next: () =>
          `/api/sessions?therapist_id=${randomTherapist()}&from=${from.toISOString()}&to=${to.toISOString()}&page_size=${PAGE_SIZE}`,
        pgbench: listScript({ therapistId: THERAPIST_MARK, from, to }, {}, false),
      },
      {
        name: 'default first page',
        next: () => '/api/sessions',
        pgbench: listScript({}, {}, true),
      },
      {
        name: 'deep page (cursor at row 50 000)',
        next: () => `/api/sessions?cursor=${encodeCursor({ direction: 'next', key: cursorKey })}`,
        pgbench: listScript({}, { cursorKey }, true),
      },
      {
        name: `searched (q=${surname})`,
        next: () => `/api/sessions?q=${encodeURIComponent(surname)}`,
        pgbench: listScript({ q: surname }, {}, await beyondExact(client, { q: surname })),
      },
    ];
  } finally {
    await client.end();
  }
}
