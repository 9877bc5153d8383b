import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { FieldError } from '../problems/problem-details.js';
import { validationProblem } from '../problems/problem.exception.js';

function nulFields(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? [{ field: path, message: `${path} must not contain the NUL character` }]
      : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => nulFields(child, path ? `${path}.${key}` : key));
}

/**
 * PostgreSQL text cannot hold U+0000, so a string containing it could never be stored or searched for: reject it
 * up front, naming the field, for every body and query the app receives.
 */
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const errors = nulFields(value, metadata.data ?? '');
    if (errors.length > 0) throw validationProblem(errors);
    return value;
  }
}
