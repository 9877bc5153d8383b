import { problemFromDatabaseError } from '../problems/database-problems.js';
import { ProblemException } from '../problems/problem.exception.js';

/** What a form template needs to show a form again: the user's input and what is wrong with it. */
export interface FormState<Values> {
  values: Values;
  /** `{ field: message }`, shown next to each field. */
  errors: Record<string, string>;
  /** A message about the whole form, for a problem that names no field. */
  formError?: string;
  hasErrors: boolean;
}

export function formState<Values>(
  values: Values,
  errors: Record<string, string> = {},
  problem?: ProblemException,
): FormState<Values> {
  return {
    values,
    errors,
    formError: problem && problem.errors.length === 0 ? problem.message : undefined,
    hasErrors: Object.keys(errors).length > 0 || Boolean(problem),
  };
}

/**
 * A failure the user can fix by changing the form (invalid input, an e-mail address already taken), as the
 * problem the API would answer with; `undefined` for anything else, which the caller rethrows.
 */
export function inputProblemOf(error: unknown): ProblemException | undefined {
  const problem = error instanceof ProblemException ? error : problemFromDatabaseError(error);
  if (!problem) return undefined;
  const status = problem.getStatus();
  return status >= 400 && status < 500 && problem.problemType !== 'not-found' ? problem : undefined;
}

/** Form fields arrive as text; anything else (a repeated field becomes an array) counts as empty. */
export const formText = (value: unknown): string => (typeof value === 'string' ? value : '');
