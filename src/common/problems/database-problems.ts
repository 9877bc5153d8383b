import { DriverException } from '@mikro-orm/core';
import { OptimisticLockError } from '@mikro-orm/core';
import {
  type ProblemException,
  ProblemException as Problem,
  validationProblem,
} from './problem.exception.js';

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
  working_hours_no_overlap: () =>
    new Problem('conflict', 'Working-hours intervals on the same day must not overlap.', {
      errors: [{ field: 'start', message: 'overlaps another interval on the same day' }],
    }),
  therapy_session_therapist_id_foreign: () =>
    validationProblem([
      { field: 'therapist_id', message: 'therapist_id does not refer to an existing therapist' },
    ]),
  therapy_session_patient_id_foreign: () =>
    validationProblem([{ field: 'patient_id', message: 'patient_id does not refer to an existing patient' }]),
};

/** Translates a database error a client can cause into a 4xx problem; `undefined` for real server faults. */
export function problemFromDatabaseError(error: unknown): ProblemException | undefined {
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
