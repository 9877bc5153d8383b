/**
 * The session list's SQL, defined once and free of NestJS and the ORM's unit of work: the app's repository runs
 * these statements, and so does the benchmark's bare `http` + `pg` server, which must send the same SQL and
 * answer the same JSON. Everything here is pure: criteria in, `{ sql, params }` or JSON out.
 */
import { escapeLike, searchWords } from '../database/search.js';
import type { SessionStatus } from './session-status.js';

export type ListSort = 'date' | 'status' | 'therapist' | 'patient' | 'created_at';
export type ListOrder = 'asc' | 'desc';

export interface SessionListFilter {
  /** A therapist's view: only their sessions, whatever else the filter asks for. */
  visibleTo?: number;
  q?: string;
  status?: SessionStatus;
  therapistId?: number;
  therapistIds?: readonly number[];
  patientId?: number;
  seriesId?: number;
  /** Inclusive lower bound on the start time. */
  from?: Date;
  /** Exclusive upper bound on the start time. */
  to?: Date;
}

/** Where a cursor points: the sort key and id of the row it is after (`next`) or before (`prev`). */
export interface ListCursor {
  direction: 'next' | 'prev';
  key: (string | number)[];
}

export interface SessionListPageCriteria extends SessionListFilter {
  sort: ListSort;
  order: ListOrder;
  limit: number;
  /** Offset pagination (`page`); ignored with a cursor. */
  offset?: number;
  cursor?: ListCursor;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** Beyond this many matching rows the total is the planner's estimate, which costs no scan. */
export const EXACT_TOTAL_LIMIT = 10_000;

/** The sort key of each sort, in the order of the composite index that serves it, then `s.id`. */
export const SORT_KEYS: Record<ListSort, string[]> = {
  date: ['s.starts_at'],
  status: ['s.status', 's.starts_at'],
  therapist: ['t.name', 's.starts_at'],
  patient: ['p.name', 's.starts_at'],
  created_at: ['s.created_at'],
};

export const TIMESTAMP_KEYS = new Set(['s.starts_at', 's.created_at']);
const NAME_KEYS = new Set(['t.name', 'p.name']);

/**
 * Times as the API's ISO 8601 text, made by PostgreSQL: the same whatever type parsers the client installed
 * (the ORM's return text, plain pg returns Dates), and nothing for Node to parse and format per row.
 */
const iso = (column: string): string =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column.slice(2)}`;

const COLUMNS = `s.id, s.therapist_id, t.name as therapist_name, s.patient_id, p.name as patient_name,
  ${iso('s.starts_at')}, s.duration_minutes, ${iso('s.ends_at')}, s.status, s.notes, s.status_reason,
  s.series_id, ${iso('s.checked_in_at')}, s.version, ${iso('s.created_at')}, ${iso('s.updated_at')},
  to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

const FROM = `therapy_session s join therapist t on t.id = s.therapist_id join patient p on p.id = s.patient_id`;
/**
 * What counting needs: the filters name only the session's own columns (a search finds the people first, by id),
 * and every session has its therapist and patient, so the joins cannot change a count; without them the capped
 * count of the default list takes 13 ms instead of 52 on a million sessions, and its estimate plans faster.
 */
const COUNT_FROM = 'therapy_session s';

/** The conditions of a filter, with their parameters numbered from `params.length + 1`. */
function whereOf(filter: SessionListFilter, params: unknown[]): string[] {
  const where: string[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  if (filter.status) where.push(`s.status = ${param(filter.status)}`);
  if (filter.therapistId) where.push(`s.therapist_id = ${param(filter.therapistId)}`);
  if (filter.therapistIds) where.push(`s.therapist_id = any(${param([...filter.therapistIds])}::int[])`);
  // Another therapist's filter, in a therapist's view, matches nothing.
  if (filter.visibleTo !== undefined) {
    const own = filter.therapistId && filter.therapistId !== filter.visibleTo ? 0 : filter.visibleTo;
    where.push(`s.therapist_id = ${param(own)}`);
  }
  if (filter.patientId) where.push(`s.patient_id = ${param(filter.patientId)}`);
  if (filter.seriesId) where.push(`s.series_id = ${param(filter.seriesId)}`);
  if (filter.from) where.push(`s.starts_at >= ${param(filter.from)}`);
  if (filter.to) where.push(`s.starts_at < ${param(filter.to)}`);
  // Each word in the therapist's or the patient's name or e-mail, the expression the trigram indexes hold. The
  // people are found first (their trigram indexes), then their sessions by id: matching on the joined rows would
  // normalize a million names per search.
  for (const word of filter.q ? searchWords(filter.q) : []) {
    const pattern = `'%' || search_normalize(${param(escapeLike(word))}) || '%'`;
    const matching = (table: string): string =>
      `select id from ${table} where search_normalize(name || ' ' || coalesce(email, '')) like ${pattern}`;
    where.push(
      `(s.therapist_id = any(array(${matching('therapist')})) or s.patient_id = any(array(${matching('patient')})))`,
    );
  }
  return where;
}

const whereClause = (where: string[]): string => (where.length ? `where ${where.join(' and ')}` : '');

/**
 * The keys a list is ordered by. A sort by a person's name, when the filter is that one person, has a constant
 * first key: it is left out, so the person's (id, starts_at, id) index serves the order and the cursor.
 */
function orderKeysOf(criteria: SessionListFilter & { sort: ListSort }): string[] {
  const keys = [...SORT_KEYS[criteria.sort], 's.id'];
  const pinned =
    (criteria.sort === 'therapist' && (criteria.therapistId || criteria.visibleTo !== undefined)) ||
    (criteria.sort === 'patient' && criteria.patientId);
  return pinned ? keys.slice(1) : keys;
}

/** The columns the list needs and the joins that name the people, for a filter; used by the page and CSV. */
export function sessionRowsQuery(criteria: SessionListPageCriteria): Statement {
  const params: unknown[] = [];
  const where = whereOf(criteria, params);
  const keys = orderKeysOf(criteria);
  const backwards = criteria.cursor?.direction === 'prev';
  const ascending = (criteria.order === 'asc') !== backwards;
  if (criteria.cursor) {
    const key = criteria.cursor.key.slice(criteria.cursor.key.length - keys.length);
    const values = key.map((value, index) =>
      TIMESTAMP_KEYS.has(keys[index] ?? '') ? `${param(params, value)}::timestamptz` : param(params, value),
    );
    where.push(`(${keys.join(', ')}) ${ascending ? '>' : '<'} (${values.join(', ')})`);
    // The row comparison bounds the sessions' index; a name needs its own bound to start the people's index there.
    if (NAME_KEYS.has(keys[0] ?? '')) where.push(`${keys[0]} ${ascending ? '>=' : '<='} ${values[0]}`);
  }
  const direction = ascending ? 'asc' : 'desc';
  const orderBy = keys.map((key) => `${key} ${direction}`).join(', ');
  const offset = !criteria.cursor && criteria.offset ? ` offset ${param(params, criteria.offset)}` : '';
  return {
    sql: `select ${COLUMNS} from ${FROM} ${whereClause(where)} order by ${orderBy} limit ${param(params, criteria.limit)}${offset}`,
    params,
  };
}

const param = (params: unknown[], value: unknown): string => `$${params.push(value)}`;

/** Counts the matches up to one past the exact limit: beyond it, the caller asks the planner instead. */
export function sessionCappedCountQuery(filter: SessionListFilter): Statement {
  const params: unknown[] = [];
  const where = whereClause(whereOf(filter, params));
  return {
    sql: `select count(*)::int as count from (select 1 from ${COUNT_FROM} ${where} limit ${EXACT_TOTAL_LIMIT + 1}) capped`,
    params,
  };
}

/** The planner's estimate of the matches (`EXPLAIN` plans without running): for totals beyond the limit. */
export function sessionEstimateQuery(filter: SessionListFilter): Statement {
  const params: unknown[] = [];
  const where = whereClause(whereOf(filter, params));
  return { sql: `explain (format json) select 1 from ${COUNT_FROM} ${where}`, params };
}

/** The estimated row count in `EXPLAIN (FORMAT JSON)`'s answer. */
export function estimateOf(rows: { 'QUERY PLAN': unknown }[]): number {
  const plan = rows[0]?.['QUERY PLAN'] as [{ Plan: { 'Plan Rows': number } }] | undefined;
  return Math.round(plan?.[0]?.Plan['Plan Rows'] ?? 0);
}

/** One row as `sessionRowsQuery` selects it: times are ISO 8601 text in UTC. */
export interface SessionListRow {
  id: number;
  therapist_id: number;
  therapist_name: string;
  patient_id: number;
  patient_name: string;
  starts_at: string;
  duration_minutes: number;
  ends_at: string;
  status: SessionStatus;
  notes: string | null;
  status_reason: string | null;
  series_id: number | null;
  checked_in_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** `created_at` to the microsecond (`now()` has them), for a cursor that neither repeats nor skips a row. */
  created_key: string;
}

/** A session as the API shows it (`SessionResponse`). */
export interface SessionJson {
  id: number;
  therapist_id: number;
  patient_id: number;
  therapist: { id: number; name: string };
  patient: { id: number; name: string };
  date: string;
  duration_minutes: number;
  ends_at: string;
  status: SessionStatus;
  notes: string | null;
  status_reason: string | null;
  series_id: number | null;
  checked_in_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The API's JSON of one row; the single definition of a session's JSON, entities go through it too. */
export function toSessionJson(row: SessionListRow): SessionJson {
  return {
    id: row.id,
    therapist_id: row.therapist_id,
    patient_id: row.patient_id,
    therapist: { id: row.therapist_id, name: row.therapist_name },
    patient: { id: row.patient_id, name: row.patient_name },
    date: row.starts_at,
    duration_minutes: row.duration_minutes,
    ends_at: row.ends_at,
    status: row.status,
    notes: row.notes,
    status_reason: row.status_reason,
    series_id: row.series_id,
    checked_in_at: row.checked_in_at,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The CSV's columns: what the list shows, without notes (clinical text stays in the app). */
const CSV_COLUMNS = `s.id, ${iso('s.starts_at')}, ${iso('s.ends_at')}, s.duration_minutes, s.therapist_id,
  t.name as therapist, s.patient_id, p.name as patient, s.status, s.status_reason, s.series_id,
  ${iso('s.checked_in_at')}`;

/**
 * `COPY (the list's query, every page) TO STDOUT` as CSV with a header. COPY takes no bind parameters, so each
 * one is written in as a literal by `quote` (the driver's `escapeLiteral`); numbers are checked to be integers.
 */
export function sessionCsvCopy(
  criteria: SessionListFilter & { sort: ListSort; order: ListOrder },
  quote: (text: string) => string,
): string {
  const params: unknown[] = [];
  const where = whereClause(whereOf(criteria, params));
  const orderBy = orderKeysOf(criteria)
    .map((key) => `${key} ${criteria.order}`)
    .join(', ');
  const select = `select ${CSV_COLUMNS} from ${FROM} ${where} order by ${orderBy}`;
  const literal = (value: unknown): string => {
    if (value instanceof Date) return `${quote(value.toISOString())}::timestamptz`;
    if (Array.isArray(value)) return quote(`{${value.map(literal).join(',')}}`);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string') return quote(value);
    throw new TypeError('a list filter value that is not a date, an integer or text');
  };
  const sql = select.replace(/\$(\d+)/g, (_match, index: string) => literal(params[Number(index) - 1]));
  return `copy (${sql}) to stdout with (format csv, header true)`;
}
