import { ConnectionException, DriverException, OptimisticLockError } from '@mikro-orm/core';
import {
  type ProblemException,
  ProblemException as Problem,
  validationProblem,
} from './problem.exception.js';
import { isError } from '../errors.js';

/** Fields a PostgreSQL error carries besides its message (node-postgres copies them onto the exception). */
interface PostgresErrorFields {
  code?: string;
  constraint?: string;
}

/**
 * What each named constraint means for a client. The database is the authority for these rules; this table
 * only translates its verdict into a problem the client can act on.
 */
const CONSTRAINT_PROBLEMS: Record<string, () => ProblemException> = {
  therapist_email_unique: () =>
    new Problem('conflict', 'A therapist with this e-mail address already exists.', {
      errors: [{ field: 'email', message: 'email is already used by another therapist' }],
    }),
  patient_email_unique: () =>
    new Problem('conflict', 'A patient with this e-mail address already exists.', {
      errors: [{ field: 'email', message: 'email is already used by another patient' }],
    }),
  staff_user_email_unique: () =>
    new Problem('conflict', 'A user with this e-mail address already exists.', {
      errors: [{ field: 'email', message: 'email is already used by another user' }],
    }),
  staff_user_therapist_unique: () =>
    new Problem('conflict', 'This therapist already has a user account.', {
      errors: [{ field: 'therapist_id', message: 'the therapist already has an account' }],
    }),
  working_hours_no_overlap: () =>
    new Problem('conflict', 'Working-hours intervals on the same day must not overlap.', {
      errors: [{ field: 'start', message: 'overlaps another interval on the same day' }],
    }),
  therapist_time_off_no_overlap: () =>
    new Problem('conflict', 'The therapist already has time off overlapping this one.', {
      errors: [{ field: 'starts_at', message: 'overlaps other time off of the therapist' }],
    }),
  clinic_closure_no_overlap: () =>
    new Problem('conflict', 'The clinic is already closed on some of these days.', {
      errors: [{ field: 'starts_on', message: 'overlaps another closure' }],
    }),
  therapy_session_therapist_id_foreign: () =>
    validationProblem([
      { field: 'therapist_id', message: 'therapist_id does not refer to an existing therapist' },
    ]),
  therapy_session_patient_id_foreign: () =>
    validationProblem([{ field: 'patient_id', message: 'patient_id does not refer to an existing patient' }]),
};

/** Seconds a client is asked to wait before retrying while the database is unavailable (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs that mean the database cannot serve anyone right now, not that this request was wrong: class 08
 * (connection exceptions), admin/crash shutdown and "cannot connect now" (57P01–57P03, e.g. a restart or a
 * server still starting), too many connections (53300), and query_canceled (57014), which is how a
 * statement_timeout ends a statement that a stalled server could not finish.
 */
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** Socket errors of a server that is down, unreachable or not resolvable (yet, e.g. while a container starts). */
const OUTAGE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres and pg-pool raise these as plain Errors without a code: a connection dropped or never
 * established, a pool with no connection free within connectionTimeoutMillis, a reply that never came within
 * query_timeout.
 */
const OUTAGE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /is not queryable/,
];

/**
 * Whether an error means PostgreSQL is unreachable or cannot serve right now: MikroORM's ConnectionException,
 * the SQLSTATEs and socket errors above, or node-postgres's own connection errors. Looks through `cause` and
 * AggregateError (Node reports a refused `localhost` once per address) because the drivers wrap errors.
 */
export function isDatabaseOutage(error: unknown, depth = 0): boolean {
  if (!isError(error) || depth > 5) return false;
  if (error instanceof ConnectionException) return true;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code && (code.startsWith('08') || OUTAGE_SQLSTATES.has(code) || OUTAGE_SOCKET_CODES.has(code))) {
    return true;
  }
  if (OUTAGE_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  if (
    'errors' in error &&
    Array.isArray(error.errors) &&
    error.errors.some((inner) => isDatabaseOutage(inner, depth + 1))
  ) {
    return true;
  }
  return isDatabaseOutage(error.cause, depth + 1);
}

/** The code and the first line of the message, for a one-line log entry (MikroORM appends details below it). */
export function describeDatabaseError(error: unknown): string {
  if (!isError(error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code} ` : '';
  const message = error.message.split('\n')[0]?.trim() || error.name;
  return `${code}${message}`;
}

export const databaseUnavailableProblem = (): ProblemException =>
  new Problem(
    'service-unavailable',
    `The database is temporarily unavailable. Retry in ${RETRY_AFTER_SECONDS} seconds.`,
  );

/**
 * Translates a database error into a problem: a 503 while the database is unavailable, a 4xx for errors a
 * client can cause; `undefined` for real server faults.
 */
export function problemFromDatabaseError(error: unknown): ProblemException | undefined {
  if (isDatabaseOutage(error)) return databaseUnavailableProblem();
  if (error instanceof OptimisticLockError) {
    return new Problem(
      'conflict',
      'The resource was changed by someone else at the same time. Reload it and retry.',
    );
  }
  if (!(error instanceof DriverException)) return undefined;
  const { constraint, code } = error as DriverException & PostgresErrorFields;
  const known = constraint ? CONSTRAINT_PROBLEMS[constraint] : undefined;
  if (known) return known();
  // SQLSTATE class 22 (data exception): a value the database cannot take, such as one too long for its column.
  // Validation should have caught it; if it did not, it is still the request's value, not a server fault.
  if (code?.startsWith('22')) {
    return new Problem('bad-request', 'A value in the request cannot be stored.', { status: 400 });
  }
  return undefined;
}
