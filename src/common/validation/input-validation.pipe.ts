import { type ArgumentMetadata, type PipeTransform, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '../problems/problem-details.js';
import { ProblemException, validationProblem } from '../problems/problem.exception.js';
import { BODY_FIELD, bodyProblems, isDtoClass } from './body-rules.js';
import { TEXT_INPUT, VALIDATOR_OPTIONS } from './validate-input.js';
import { validationExceptionFactory, type InputNoun } from './validation-errors.js';

/** Deeper than any request the API defines; bounds the work of the recursive transformers after this pipe. */
export const MAX_NESTING_DEPTH = 16;

/**
 * Names every object inherits (`constructor`, `toString`, `__proto__` …). class-validator looks fields up in a
 * plain object, so it would take them for declared fields and let them through its whitelist.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** PostgreSQL text holds neither U+0000 nor an unpaired UTF-16 surrogate (nor does an e-mail validator cope). */
function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

export interface InputProblems {
  /** Set when the input is nested too deeply to be looked at any further; nothing else is reported then. */
  tooDeep?: FieldError;
  errors: FieldError[];
}

/**
 * Walks a request body or query iteratively (a hostile body can be nested thousands deep) and reports what no
 * validator may see: text that could never be stored or searched for, and field names every object inherits.
 */
export function inputProblems(root: unknown, rootPath: string, noun: InputNoun = 'field'): InputProblems {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number; inherited?: boolean }[] = [
    { value: root, path: rootPath, depth: 0 },
  ];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path, depth, inherited } = item;
    const field = path || BODY_FIELD;
    if (inherited) {
      errors.push({ field, message: `${field} is not a known ${noun}` });
    } else if (typeof value === 'string') {
      if (!isStorableText(value)) {
        errors.push({
          field,
          message: `${field} must be valid text (no NUL character or unpaired surrogate)`,
        });
      }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_NESTING_DEPTH) {
        return {
          tooDeep: { field, message: `${field} is nested more than ${MAX_NESTING_DEPTH} levels deep` },
          errors: [],
        };
      }
      for (const [key, child] of Object.entries(value)) {
        const inheritedName = !Array.isArray(value) && INHERITED_NAMES.has(key);
        pending.push({
          value: child,
          path: path ? `${path}.${key}` : key,
          depth: depth + 1,
          inherited: inheritedName,
        });
      }
    }
  }
  return { errors: errors.reverse() };
}

/** No query parameter of this app takes several values: `?page=1&page=2` is refused, never half-read. */
function repeatedParameters(query: unknown): FieldError[] {
  if (query === null || typeof query !== 'object') return [];
  return Object.entries(query)
    .filter(([, value]) => Array.isArray(value))
    .map(([name]) => ({ field: name, message: `${name} must be given only once` }));
}

/**
 * The one validation step of every body and query. JSON bodies are validated as sent (a JSON number is a number,
 * `"60"` is not); query strings are text, so canonical integers in them are read as numbers. Problems the
 * validators cannot see (see `inputProblems`, and `bodyProblems` for a body as a whole) are reported together
 * with the validators' own, every bad field in one answer.
 */
export class InputValidationPipe implements PipeTransform {
  private readonly jsonPipe = this.validationPipe([], 'field');
  private readonly textPipe = this.validationPipe([TEXT_INPUT], 'parameter');

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const pipe = metadata.type === 'body' ? this.jsonPipe : this.textPipe;
    if (metadata.type !== 'body' && metadata.type !== 'query') return pipe.transform(value, metadata);
    const noun = metadata.type === 'body' ? 'field' : 'parameter';
    const { tooDeep, errors } = inputProblems(value, metadata.data ?? '', noun);
    if (tooDeep) throw validationProblem([tooDeep]);
    if (metadata.type === 'query') errors.push(...repeatedParameters(value));
    if (metadata.type === 'body' && !metadata.data && isDtoClass(metadata.metatype)) {
      const whole = bodyProblems(metadata.metatype, value);
      // Fields cannot be told apart in something that has none; anything more would be noise.
      if (whole.notAnObject) throw validationProblem(whole.errors);
      errors.push(...whole.errors);
    }
    let validated: unknown;
    try {
      validated = await pipe.transform(value, metadata);
    } catch (error) {
      if (errors.length === 0) throw error;
      // A validator may also choke on text no validator should see (e.g. a lone surrogate in an e-mail address).
      const others = error instanceof ProblemException ? error.errors : [];
      const named = new Set(errors.map((problem) => problem.field));
      throw validationProblem([...errors, ...others.filter((problem) => !named.has(problem.field))]);
    }
    if (errors.length > 0) throw validationProblem(errors);
    return validated;
  }

  private validationPipe(groups: string[], noun: InputNoun): ValidationPipe {
    return new ValidationPipe({
      ...VALIDATOR_OPTIONS,
      transform: true,
      transformOptions: { groups },
      // The value tells an absent required field ("is required") from a present, malformed one.
      validationError: { target: false, value: true },
      exceptionFactory: validationExceptionFactory(noun),
    });
  }
}
