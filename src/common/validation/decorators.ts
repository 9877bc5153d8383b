import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { Temporal } from 'temporal-polyfill';

const MIN_YEAR = 1900;
// Generous for a clinic's calendar, and keeps every derived instant (e.g. the day after) printable as ISO 8601.
const MAX_YEAR = 2999;

/** Parses an ISO 8601 date-time that carries `Z` or an offset; `undefined` for anything else. */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  try {
    const instant = Temporal.Instant.from(value);
    // Instant.from ignores a `[Zone]` suffix; one that contradicts the offset must not pass unnoticed.
    if (value.includes('[')) Temporal.ZonedDateTime.from(value, { offset: 'reject' });
    const year = instant.toZonedDateTimeISO('UTC').year;
    if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
    return new Date(instant.epochMilliseconds);
  } catch {
    return undefined;
  }
}

/** Parses a calendar date written exactly as `YYYY-MM-DD`; `undefined` for anything else. */
export function parseLocalDate(value: unknown): Temporal.PlainDate | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  try {
    const date = Temporal.PlainDate.from(value, { overflow: 'reject' });
    return date.year >= MIN_YEAR && date.year <= MAX_YEAR ? date : undefined;
  } catch {
    return undefined;
  }
}

export const INSTANT_FORMAT_HINT = 'an ISO 8601 date-time with a time-zone offset, e.g. 2025-11-15T10:00:00Z';

/** ISO 8601 date-time with `Z` or an offset: a time without a zone is ambiguous and rejected. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value) => parseInstant(value) !== undefined,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be ${INSTANT_FORMAT_HINT}`,
      },
    },
    options,
  );
}

/** A date-time with offset, or a plain `YYYY-MM-DD` (read in the clinic's time zone) for range filters. */
export function IsInstantOrLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantOrLocalDate',
      validator: {
        validate: (value) => parseInstant(value) !== undefined || parseLocalDate(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a date (YYYY-MM-DD) or ${INSTANT_FORMAT_HINT}`,
      },
    },
    options,
  );
}

export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value) => parseLocalDate(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a real calendar date written as YYYY-MM-DD`,
      },
    },
    options,
  );
}

/** A date not after today in the earliest time zone (UTC+14), so a date that is today anywhere is accepted. */
export function IsNotInFuture(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotInFuture',
      validator: {
        validate: (value) => {
          const date = parseLocalDate(value);
          const tomorrow = Temporal.Now.plainDateISO('Pacific/Kiritimati');
          return date === undefined || Temporal.PlainDate.compare(date, tomorrow) <= 0;
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} cannot be in the future`,
      },
    },
    options,
  );
}

/**
 * May be left out, but when present must be valid: unlike `@IsOptional()`, `null` is rejected, so a client
 * cannot null a required column.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((object: object, value: unknown) => value !== undefined);

/** Length in Unicode code points, as PostgreSQL's `char_length` and `varchar(n)` count it. */
export const codePointLength = (value: string): number => Array.from(value).length;

/**
 * Between `min` and `max` characters as the database counts them. class-validator's `Length` ignores variation
 * selectors (U+FE0E/U+FE0F), so a value it accepts could still overflow a `varchar(n)` column.
 */
export function HasLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasLength',
      validator: {
        validate: (value) =>
          typeof value === 'string' && codePointLength(value) >= min && codePointLength(value) <= max,
        defaultMessage: (args) =>
          min > 0
            ? `${args?.property ?? 'value'} must be between ${min} and ${max} characters`
            : `${args?.property ?? 'value'} must be at most ${max} characters`,
      },
    },
    options,
  );
}
