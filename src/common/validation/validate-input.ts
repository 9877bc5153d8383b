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

/** What the staff pages call the fields whose API names would read oddly in a message next to them. */
const FIELD_LABELS: Record<string, string> = {
  therapist_id: 'Therapist',
  patient_id: 'Patient',
  date: 'Date and time',
  duration_minutes: 'Duration (minutes)',
  occurrences: 'Number of sessions',
  notes: 'Notes',
  reason: 'Reason',
  name: 'Name',
  email: 'E-mail',
  phone: 'Phone',
  date_of_birth: 'Date of birth',
  specialty: 'Specialty',
  time_zone: 'Time zone',
  buffer_minutes: 'Buffer (minutes)',
  weekday: 'Day',
  start: 'From',
  end: 'To',
  starts_at: 'Start',
  ends_at: 'End',
  starts_on: 'First day',
  ends_on: 'Last day',
};

/** A validation message in the staff's words: "duration_minutes must …" → "Duration (minutes) must …". */
function inStaffWords(field: string, message: string): string {
  const label = FIELD_LABELS[field];
  if (!label || !message.startsWith(`${field} `)) return message;
  // Another field the message compares with ("ends_at must be after starts_at") is named in words too.
  const rest = message
    .slice(field.length)
    .replace(/\b[a-z]+_[a-z_]+\b/g, (other) => FIELD_LABELS[other]?.toLowerCase() ?? other);
  return `${label}${rest}`;
}

/** `{ field: message }` for the forms of the staff pages, first message per field. */
export function errorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) byField[error.field] ??= inStaffWords(error.field, error.message);
  return byField;
}

/** HTML forms send every field, empty or not: an empty filter or optional field means "not given". */
export function withoutEmptyValues(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '' && value !== undefined));
}
