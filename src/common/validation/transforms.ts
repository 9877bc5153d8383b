import { Transform } from 'class-transformer';

/**
 * Query strings and HTML forms deliver numbers as text: a canonical integer string becomes a number, anything
 * else is left untouched so the validator reports it instead of it being coerced to NaN or 0.
 */
export const ToInteger = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(value) ? Number(value) : value,
  );

/** Surrounding whitespace is never meaningful in names and e-mail addresses. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export const TrimLowerCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );

/** An empty form field means "no value": it clears an optional column instead of storing ''. */
export const EmptyToNull = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? null : value,
  );
