import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import type { FieldError } from '../problems/problem-details.js';
import { toFieldErrors } from './validation-errors.js';

/** The options of the global ValidationPipe and of the pages' own validation: one set of rules for both. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/**
 * class-transformer group of the transforms that read text as typed values (`"60"` → 60). Query strings and
 * HTML forms only carry text; a JSON body has real numbers, so it is validated without them.
 */
export const TEXT_INPUT = 'text-input';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Validates form or query input against a DTO class exactly as the API does, but returns the errors instead of throwing,
 * so a page can show them next to the fields.
 */
export async function validateInput<T extends object>(
  type: ClassConstructor<T>,
  plain: Record<string, unknown>,
): Promise<ValidationResult<T>> {
  const value = plainToInstance(type, plain, { groups: [TEXT_INPUT] });
  const errors = await validate(value, VALIDATOR_OPTIONS);
  return errors.length > 0 ? { ok: false, errors: toFieldErrors(errors) } : { ok: true, value };
}

/** `{ field: message }` for templates, first message per field. */
export function errorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) byField[error.field] ??= error.message;
  return byField;
}

/** HTML forms send every field, empty or not: an empty filter or optional field means "not given". */
export function withoutEmptyValues(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '' && value !== undefined));
}
