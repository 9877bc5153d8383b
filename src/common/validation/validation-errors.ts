import type { ValidationError } from 'class-validator';
import type { FieldError } from '../problems/problem-details.js';
import { validationProblem, type ProblemException } from '../problems/problem.exception.js';

/** Checks that refine a value of the right type; a field failing its type check reports that instead. */
const REFINEMENTS = new Set([
  'min',
  'max',
  'hasLength',
  'maxLength',
  'arrayMaxSize',
  'matches',
  'isEmail',
  'isIn',
  'isNotInFuture',
]);

/** `"abc"` for a page number is reported as "must be an integer", not as "must not be less than 1". */
function mostBasicFailure(constraints: Record<string, string>): [string, string] | undefined {
  const failures = Object.entries(constraints);
  return failures.find(([name]) => !REFINEMENTS.has(name)) ?? failures[0];
}

/** What the names of an input are called in messages: a body has fields, a query string has parameters. */
export type InputNoun = 'field' | 'parameter';

function messageOf(
  field: string,
  [constraint, message]: [string, string],
  value: unknown,
  noun: InputNoun,
): string {
  if (constraint === 'whitelistValidation') return `${field} is not a known ${noun}`;
  // Only required fields are validated when absent (optional ones are skipped): say that, not "must be a string".
  if (value === undefined) return `${field} is required`;
  return message;
}

/** Flattens class-validator's tree into one entry per bad field, named by the request field path. */
export function toFieldErrors(
  errors: ValidationError[],
  noun: InputNoun = 'field',
  parentPath = '',
): FieldError[] {
  return errors.flatMap((error) => {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const failure = mostBasicFailure(error.constraints ?? {});
    const own = failure ? [{ field, message: messageOf(field, failure, error.value, noun) }] : [];
    // A field that is wrong as a whole (`intervals` not a list) says so, without errors about its parts.
    return own.length > 0 ? own : toFieldErrors(error.children ?? [], noun, field);
  });
}

export const validationExceptionFactory =
  (noun: InputNoun) =>
  (errors: ValidationError[]): ProblemException =>
    validationProblem(toFieldErrors(errors, noun));
