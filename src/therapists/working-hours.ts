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

/**
 * Why [start, end) is outside the weekly working hours (read in `timeZone`), or `undefined` when it lies within
 * one interval, or when no working hours are set (then any time is fine).
 */
export function workingHoursViolation(
  intervals: readonly WeeklyInterval[],
  start: Date,
  end: Date,
  timeZone: string,
): string | undefined {
  if (intervals.length === 0) return undefined;
  const localStart = zoned(start, timeZone);
  const localEnd = zoned(end, timeZone);
  const day = localStart.toPlainDate();
  const startMinute = localStart.hour * 60 + localStart.minute;
  const endsNextMidnight =
    localEnd.toPlainDate().equals(day.add({ days: 1 })) && localEnd.hour === 0 && localEnd.minute === 0;
  const endMinute = endsNextMidnight ? 1440 : localEnd.hour * 60 + localEnd.minute;
  const sameDay = endsNextMidnight || localEnd.toPlainDate().equals(day);
  const today = mergeTouching(intervals.filter((interval) => interval.weekday === localStart.dayOfWeek));
  const fits =
    sameDay &&
    today.some((interval) => interval.startMinute <= startMinute && endMinute <= interval.endMinute);
  if (fits) return undefined;
  const weekday = WEEKDAY_NAMES[localStart.dayOfWeek - 1] ?? '';
  if (today.length === 0) return `there are no working hours on ${weekday} (${timeZone})`;
  const hours = today.map(
    (interval) => `${formatMinute(interval.startMinute)}–${formatMinute(interval.endMinute)}`,
  );
  return `it is outside the working hours on ${weekday}: ${hours.join(', ')} (${timeZone})`;
}

/** Intervals of one day in order, with back-to-back ones (09:00–12:00, 12:00–17:00) joined: no gap between them. */
function mergeTouching(intervals: readonly WeeklyInterval[]): WeeklyInterval[] {
  const merged: WeeklyInterval[] = [];
  for (const interval of [...intervals].sort((a, b) => a.startMinute - b.startMinute)) {
    const last = merged.at(-1);
    if (last && last.endMinute >= interval.startMinute)
      last.endMinute = Math.max(last.endMinute, interval.endMinute);
    else merged.push({ ...interval });
  }
  return merged;
}
