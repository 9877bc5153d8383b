// The reference for the benchmark: Node's `http` and `pg`, no framework, no ORM, answering the benchmark's list
// requests with the app's own SQL and JSON (src/sessions/session-list.sql.ts), so that app ÷ bare is what the
// framework, the ORM, authentication and the audit trail cost. Only what the benchmark sends is parsed.
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';
import {
  EXACT_TOTAL_LIMIT,
  estimateOf,
  sessionCappedCountQuery,
  sessionEstimateQuery,
  sessionRowsQuery,
  toSessionJson,
  type SessionListFilter,
  type SessionListRow,
} from '../src/sessions/session-list.sql.js';
import { decodeCursor, pageOfRows } from '../src/sessions/session-list.cursor.js';
import { BARE_PORT_ENV } from './bare-queries.js';

// As many connections as the app's pool (DATABASE_POOL_MAX's default).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function list(url: URL): Promise<unknown> {
  const query = url.searchParams;
  const number = (name: string): number | undefined =>
    query.has(name) ? Number(query.get(name)) : undefined;
  const date = (name: string): Date | undefined =>
    query.has(name) ? new Date(query.get(name) ?? '') : undefined;
  const filter: SessionListFilter = {
    therapistId: number('therapist_id'),
    from: date('from'),
    to: date('to'),
    q: query.get('q') ?? undefined,
  };
  const page = number('page') ?? 1;
  const pageSize = number('page_size') ?? 25;
  const cursorText = query.get('cursor');
  const cursor = cursorText ? decodeCursor(cursorText, 'date') : undefined;
  const offset = cursor ? undefined : (page - 1) * pageSize || undefined;
  const rows = sessionRowsQuery({
    ...filter,
    sort: 'date',
    order: 'asc',
    limit: pageSize + 1,
    offset,
    cursor,
  });
  const count = sessionCappedCountQuery(filter);
  const [fetched, counted] = await Promise.all([
    pool.query<SessionListRow>(rows.sql, rows.params),
    pool.query<{ count: number }>(count.sql, count.params),
  ]);
  const exact = counted.rows[0]?.count ?? 0;
  const totalIsEstimate = exact > EXACT_TOTAL_LIMIT;
  let total = exact;
  if (totalIsEstimate) {
    const estimate = sessionEstimateQuery(filter);
    total = Math.max(
      exact,
      estimateOf((await pool.query<{ 'QUERY PLAN': unknown }>(estimate.sql, estimate.params)).rows),
    );
  }
  const result = pageOfRows(fetched.rows, { sort: 'date', pageSize, cursor, offset });
  const link = (next: string): string => {
    const target = new URL(url);
    target.searchParams.delete('page');
    target.searchParams.set('cursor', next);
    return `${target.pathname}${target.search}`;
  };
  return {
    data: result.rows.map(toSessionJson),
    meta: {
      page,
      page_size: pageSize,
      total,
      total_is_estimate: totalIsEstimate,
      next_cursor: result.next ?? null,
      prev_cursor: result.prev ?? null,
    },
    links: { next: result.next ? link(result.next) : null, prev: result.prev ? link(result.prev) : null },
  };
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://bare.invalid');
  if (url.pathname === '/ready') {
    send(response, 200, { status: 'ok' });
  } else if (url.pathname !== '/api/sessions') {
    send(response, 404, { status: 404 });
  } else {
    list(url).then(
      (body) => {
        send(response, 200, body);
      },
      (error: unknown) => {
        send(response, 500, { detail: String(error) });
      },
    );
  }
});
server.listen(Number(process.env[BARE_PORT_ENV] ?? 3918), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
