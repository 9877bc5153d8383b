import { Temporal } from 'temporal-polyfill';

/** One interval of weekly working hours: ISO weekday (1 = Monday), minutes after local midnight. */
export interface WeeklyInterval {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const formatMinute = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** `HH:MM` (00:00–24:00) as minutes after midnight; `undefined` for anything else. */
export function parseMinute(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!match) return undefined;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : undefined;
}

const zoned = (instant: Date, timeZone: string): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);

/** The instant of `minute` (0–1440) after local midnight of `day`: wall-clock time, so 09:00 stays 09:00 on DST days. */
function instantAt(day: Temporal.PlainDate, minute: number, timeZone: string): number {
  if (minute >= 1440) return day.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  const time = new Temporal.PlainTime(Math.floor(minute / 60), minute % 60);
  return day.toZonedDateTime({ timeZone, plainTime: time }).epochMilliseconds;
}

export interface WorkingSpan {
  start: number;
  end: number;
}

/**
 * The working time around [start, end) as absolute spans (epoch milliseconds), with spans that touch joined:
 * back-to-back intervals (09:00–12:00, 12:00–17:00) and days that run into each other (Mon 22:00–24:00,
 * Tue 00:00–02:00) leave no gap. Computed once, it answers `fitsWorkingSpans` for any time in the range.
 */
export function workingSpans(
  intervals: readonly WeeklyInterval[],
  start: Date,
  end: Date,
  timeZone: string,
): WorkingSpan[] {
  const spans: WorkingSpan[] = [];
  const last = zoned(end, timeZone).toPlainDate().add({ days: 1 });
  for (let day = zoned(start, timeZone).toPlainDate().subtract({ days: 1 }); ; day = day.add({ days: 1 })) {
    for (const interval of intervals.filter((candidate) => candidate.weekday === day.dayOfWeek)) {
      spans.push({
        start: instantAt(day, interval.startMinute, timeZone),
        end: instantAt(day, interval.endMinute, timeZone),
      });
    }
    if (Temporal.PlainDate.compare(day, last) >= 0) break;
  }
  spans.sort((a, b) => a.start - b.start);
  const joined: WorkingSpan[] = [];
  for (const span of spans) {
    const previous = joined.at(-1);
    if (previous && previous.end >= span.start) previous.end = Math.max(previous.end, span.end);
    else joined.push({ ...span });
  }
  return joined;
}

/**
 * Why [start, end) is outside the weekly working hours (read in `timeZone`), or `undefined` when it lies within
 * them without a gap, or when no working hours are set (then any time is fine).
 */
export function workingHoursViolation(
  intervals: readonly WeeklyInterval[],
  start: Date,
  end: Date,
  timeZone: string,
): string | undefined {
  if (intervals.length === 0) return undefined;
  if (fitsWorkingSpans(workingSpans(intervals, start, end, timeZone), start.getTime(), end.getTime()))
    return undefined;
  const localStart = zoned(start, timeZone);
  const weekday = WEEKDAY_NAMES[localStart.dayOfWeek - 1] ?? '';
  const today = intervals
    .filter((interval) => interval.weekday === localStart.dayOfWeek)
    .sort((a, b) => a.startMinute - b.startMinute);
  if (today.length === 0) return `there are no working hours on ${weekday} (${timeZone})`;
  const hours = today.map(
    (interval) => `${formatMinute(interval.startMinute)}–${formatMinute(interval.endMinute)}`,
  );
  return `it is outside the working hours on ${weekday}: ${hours.join(', ')} (${timeZone})`;
}

/** Whether [start, end) (epoch milliseconds) lies within one working span, without a gap. */
export const fitsWorkingSpans = (spans: readonly WorkingSpan[], start: number, end: number): boolean =>
  spans.some((span) => span.start <= start && end <= span.end);
