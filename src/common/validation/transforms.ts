import { Transform } from 'class-transformer';
import { TEXT_INPUT } from './validate-input.js';

/**
 * Query strings and HTML forms deliver numbers as text: a canonical integer string becomes a number, anything
 * else is left untouched so the validator reports it instead of it being coerced to NaN or 0.
 */
export const ToInteger = (): PropertyDecorator =>
  Transform(
    ({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(value) ? Number(value) : value,
    { groups: [TEXT_INPUT] },
  );

/**
 * Surrounding whitespace is never meaningful in names and e-mail addresses, and one text has one form: NFC, so
 * `é` typed as one code point or as `e` + accent is the same name and, for uniqueness, the same address. Text
 * that is not well-formed is left for validation to refuse.
 */
const normalizedText = (value: unknown): unknown =>
  typeof value === 'string' && value.isWellFormed() ? value.trim().normalize('NFC') : value;

export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => normalizedText(value));

export const TrimLowerCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    const text = normalizedText(value);
    return typeof text === 'string' && text.isWellFormed() ? text.toLowerCase() : text;
  });

/** An empty form field means "no value": it clears an optional column instead of storing ''. */
export const EmptyToNull = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? null : value,
  );
