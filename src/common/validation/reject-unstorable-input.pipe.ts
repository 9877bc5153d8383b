import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { FieldError } from '../problems/problem-details.js';
import { validationProblem } from '../problems/problem.exception.js';

/** Deeper than any request the API defines; bounds the work of the recursive transformers after this pipe. */
export const MAX_NESTING_DEPTH = 16;

/** PostgreSQL text holds neither U+0000 nor an unpaired UTF-16 surrogate (nor does an e-mail validator cope). */
function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/**
 * Walks a request body or query iteratively (a hostile body can be nested thousands deep) and reports text that
 * could never be stored or searched for, naming each field.
 */
export function unstorableFields(root: unknown, rootPath: string): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: rootPath, depth: 0 },
  ];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path, depth } = item;
    const field = path || 'body';
    if (typeof value === 'string') {
      if (!isStorableText(value)) {
        errors.push({
          field,
          message: `${field} must be valid text (no NUL character or unpaired surrogate)`,
        });
      }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_NESTING_DEPTH) {
        return [{ field, message: `${field} is nested more than ${MAX_NESTING_DEPTH} levels deep` }];
      }
      for (const [key, child] of Object.entries(value)) {
        pending.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return errors.reverse();
}

/**
 * Runs before validation on every body and query: refuses text PostgreSQL cannot store and absurdly deep
 * nesting, so neither can reach a recursive transformer or the database and become a 500.
 */
export class RejectUnstorableInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const errors = unstorableFields(value, metadata.data ?? '');
    if (errors.length > 0) throw validationProblem(errors);
    return value;
  }
}
