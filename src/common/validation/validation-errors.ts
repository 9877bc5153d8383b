import type { ValidationError } from 'class-validator';
import type { FieldError } from '../problems/problem-details.js';
import { validationProblem, type ProblemException } from '../problems/problem.exception.js';

/** Flattens class-validator's tree into one entry per failed constraint, named by the request field path. */
export function toFieldErrors(errors: ValidationError[], parentPath = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

export function validationExceptionFactory(errors: ValidationError[]): ProblemException {
  return validationProblem(toFieldErrors(errors));
}
