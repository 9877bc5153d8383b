import { Temporal } from 'temporal-polyfill';
import { ProblemException } from '../common/problems/problem.exception.js';
import type { TimeSpan } from './schedule-rules.js';
import { workingHoursViolation, type WeeklyInterval } from './working-hours.js';

/** Time a therapist cannot be booked: their time off, or a day the clinic is closed. */
export interface UnavailableSpan extends TimeSpan {
  kind: 'time_off' | 'closure';
  /** The time off's or the closure's id. */
  id: number;
  /** The reason for time off, the closure's name. */
  label: string;
}

/** The instants a closure covers: its first day's local midnight to the midnight after its last day. */
export function closureSpan(startsOn: string, endsOn: string, timeZone: string): TimeSpan {
  const midnight = (date: Temporal.PlainDate): Date =>
    new Date(date.toZonedDateTime({ timeZone }).epochMilliseconds);
  return {
    start: midnight(Temporal.PlainDate.from(startsOn)),
    end: midnight(Temporal.PlainDate.from(endsOn).add({ days: 1 })),
  };
}

/** The closed days around [start, end) as `YYYY-MM-DD` bounds, one day wider each side for any zone. */
export function daysAround(span: TimeSpan): { first: string; last: string } {
  const day = (instant: Date): Temporal.PlainDate =>
    Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO('UTC').toPlainDate();
  return {
    first: day(span.start).subtract({ days: 1 }).toString(),
    last: day(span.end).add({ days: 1 }).toString(),
  };
}

/** The first unavailable span that [start, end) overlaps, closures before time off. */
export function unavailableDuring(
  spans: readonly UnavailableSpan[],
  span: TimeSpan,
): UnavailableSpan | undefined {
  const overlapping = spans.filter(
    (candidate) =>
      candidate.start.getTime() < span.end.getTime() && span.start.getTime() < candidate.end.getTime(),
  );
  return overlapping.find((candidate) => candidate.kind === 'closure') ?? overlapping[0];
}

/** Why a Scheduled session no longer fits its therapist's week, or `undefined` when it still does. */
export function strandedReason(
  intervals: readonly WeeklyInterval[],
  unavailable: readonly UnavailableSpan[],
  span: TimeSpan,
  timeZone: string,
): string | undefined {
  const blocked = unavailableDuring(unavailable, span);
  if (blocked?.kind === 'closure') return `the clinic is closed (${blocked.label})`;
  if (blocked) return `the therapist is away (${blocked.label})`;
  return workingHoursViolation(intervals, span.start, span.end, timeZone);
}

/**
 * The 409 for booking or moving a session into a closure or the therapist's time off, naming it; `undefined` when
 * [start, end) is clear of `spans`.
 */
export function unavailabilityProblem(
  therapistName: string,
  spans: readonly UnavailableSpan[],
  span: TimeSpan,
): ProblemException | undefined {
  const blocked = unavailableDuring(spans, span);
  if (!blocked) return undefined;
  const when = `${blocked.start.toISOString()}–${blocked.end.toISOString()}`;
  const closed = blocked.kind === 'closure';
  const message = closed
    ? `The clinic is closed: ${blocked.label}`
    : `${therapistName} is away: ${blocked.label}`;
  return new ProblemException(closed ? 'clinic-closed' : 'therapist-unavailable', `${message} (${when}).`, {
    errors: [{ field: 'date', message }],
    extensions: {
      unavailable: {
        kind: blocked.kind,
        id: blocked.id,
        label: blocked.label,
        starts_at: blocked.start.toISOString(),
        ends_at: blocked.end.toISOString(),
      },
    },
  });
}
