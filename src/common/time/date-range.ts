import { Temporal } from 'temporal-polyfill';
import { validationProblem } from '../problems/problem.exception.js';
import { parseInstant, parseLocalDate } from '../validation/decorators.js';

export interface DateRange {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Local midnight of `date` (or the first instant of the day, where the clocks skip midnight). */
export const startOfDay = (date: Temporal.PlainDate, timeZone: string): Date =>
  new Date(date.toZonedDateTime({ timeZone }).epochMilliseconds);

/**
 * Resolves validated `from`/`to` filter values: a date-time is taken as is; a date means the clinic's local
 * midnight for `from`, and the end of that local day for `to` (so `to=2025-11-30` includes the 30th).
 */
export function resolveDateRange(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): DateRange {
  const lower = from === undefined ? undefined : (parseInstant(from) ?? localBound(from, timeZone, 0));
  const upper = to === undefined ? undefined : (parseInstant(to) ?? localBound(to, timeZone, 1));
  if (lower && upper && lower >= upper) {
    throw validationProblem([{ field: 'to', message: 'to must be after from' }]);
  }
  return { from: lower, to: upper };
}

function localBound(value: string, timeZone: string, daysAfter: number): Date {
  const date = parseLocalDate(value);
  if (!date) throw validationProblem([{ field: 'date', message: `${value} is not a date` }]);
  return startOfDay(date.add({ days: daysAfter }), timeZone);
}
