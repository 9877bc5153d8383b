import { ProblemException } from '../common/problems/problem.exception.js';
import type { TherapistSchedule } from './working-hours.service.js';
import { fitsWorkingSpans, workingHoursViolation, workingSpans } from './working-hours.js';

/** Free slots start on this grid (minutes past the hour: :00, :15, :30, :45). */
export const SLOT_STEP_MINUTES = 15;
export const MINUTE = 60_000;

/** The end of a time not stored yet (a stored session's is the database's `ends_at`). */
export const endOf = (start: Date, minutes: number): Date => new Date(start.getTime() + minutes * MINUTE);

export interface TimeSpan {
  start: Date;
  end: Date;
}

/** A session that still takes place, as far as the schedule is concerned. */
export interface BookedTime {
  id: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Where sessions that could stand in the way of `spans` lie: from the first start to the last end, widened by the
 * buffer on each side.
 */
export function reachOf(spans: readonly TimeSpan[], bufferMinutes: number): TimeSpan {
  const buffer = bufferMinutes * MINUTE;
  return {
    start: new Date(Math.min(...spans.map((span) => span.start.getTime())) - buffer),
    end: new Date(Math.max(...spans.map((span) => span.end.getTime())) + buffer),
  };
}

const overlaps = (booked: BookedTime, start: number, end: number): boolean =>
  booked.startsAt.getTime() < end && start < booked.endsAt.getTime();

/**
 * A session that does not overlap [start, end) but ends or starts less than the buffer away from it (an overlap
 * is the exclusion constraints' business, and reported as such).
 */
const withinBuffer = (booked: BookedTime, start: number, end: number, buffer: number): boolean =>
  !overlaps(booked, start, end) &&
  booked.startsAt.getTime() < end + buffer &&
  start < booked.endsAt.getTime() + buffer;

/**
 * Why `span` cannot be booked for the schedule's therapist, next to the sessions `booked` around it (in start
 * order), or `undefined`. Working hours apply to a session yet to start and the buffer to one that has not
 * ended (so a session under way cannot grow into the next one's buffer); a session that has ended (backfill) is
 * only checked for overlaps, by the database.
 */
export function scheduleProblem(
  schedule: TherapistSchedule,
  span: TimeSpan,
  booked: readonly BookedTime[],
  now = Date.now(),
): ProblemException | undefined {
  const { therapist } = schedule;
  if (span.end.getTime() <= now) return undefined;
  const hours = span.start.getTime() > now ? schedule.intervals : [];
  const outside = workingHoursViolation(hours, span.start, span.end, schedule.timeZone);
  if (outside) {
    return new ProblemException(
      'outside-working-hours',
      `${therapist.name} cannot be booked then: ${outside}.`,
      {
        errors: [{ field: 'date', message: `Outside working hours: ${outside}` }],
      },
    );
  }
  const buffer = therapist.bufferMinutes * MINUTE;
  const neighbour = booked.find((candidate) =>
    withinBuffer(candidate, span.start.getTime(), span.end.getTime(), buffer),
  );
  if (!neighbour) return undefined;
  return new ProblemException(
    'within-buffer',
    `${therapist.name} keeps ${therapist.bufferMinutes} minutes free between sessions; session ${neighbour.id} ` +
      `runs ${neighbour.startsAt.toISOString()}–${neighbour.endsAt.toISOString()}.`,
    {
      errors: [
        {
          field: 'date',
          message: `Within the ${therapist.bufferMinutes}-minute buffer of session ${neighbour.id}`,
        },
      ],
      extensions: { conflicting_session: conflictOf(neighbour) },
    },
  );
}

/** How a refusal names the session in the way. */
export const conflictOf = (booked: BookedTime): { id: number; date: string; ends_at: string } => ({
  id: booked.id,
  date: booked.startsAt.toISOString(),
  ends_at: booked.endsAt.toISOString(),
});

/**
 * Every start on the 15-minute grid in [from, to), from now on, where a session of `durationMinutes` lies
 * within the working hours (any time if none are set) and neither overlaps nor comes within the buffer of a
 * `booked` session: the rules a booking applies, so an offered slot books.
 */
export function freeSlots(
  schedule: TherapistSchedule,
  booked: readonly BookedTime[],
  range: TimeSpan,
  durationMinutes: number,
  now = Date.now(),
): TimeSpan[] {
  const buffer = schedule.therapist.bufferMinutes * MINUTE;
  const duration = durationMinutes * MINUTE;
  const step = SLOT_STEP_MINUTES * MINUTE;
  const earliest = Math.max(range.start.getTime(), now + 1);
  // The working time, worked out once for the whole range rather than per slot.
  const working =
    schedule.intervals.length > 0
      ? workingSpans(schedule.intervals, range.start, range.end, schedule.timeZone)
      : undefined;
  const slots: TimeSpan[] = [];
  for (
    let start = Math.ceil(earliest / step) * step;
    start + duration <= range.end.getTime();
    start += step
  ) {
    const end = start + duration;
    const clash = booked.some(
      (session) => overlaps(session, start, end) || withinBuffer(session, start, end, buffer),
    );
    if (clash) continue;
    if (working && !fitsWorkingSpans(working, start, end)) continue;
    slots.push({ start: new Date(start), end: new Date(end) });
  }
  return slots;
}
