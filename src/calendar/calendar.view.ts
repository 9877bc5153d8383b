import { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../common/problems/problem-details.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { startOfDay } from '../common/time/date-range.js';
import { listUrl } from '../common/web/list-url.js';
import { pagedUrl, type TherapistPager } from '../common/web/therapist-page.js';
import { personOptions, type Option } from '../sessions/session.view.js';
import type { DayNote } from './calendar-away.js';
import type { SessionWithPeople } from '../sessions/session.repository.js';
import {
  FIRST_HOUR,
  LAST_HOUR,
  layOut,
  rowOf,
  type CalendarBlock,
  type CalendarMore,
} from './calendar-layout.js';

/**
 * Everyone's week shows this many therapists at a time (a page of them); sessions more than fit side by side
 * (MAX_LANES) are counted in "+N" links to their day.
 */
export const WEEK_THERAPISTS = 8;

export interface CalendarView {
  /** The Monday, `YYYY-MM-DD`. */
  week: string;
  weekLabel: string;
  /** `notes`: the day's closures and time off (`calendar-away.ts`). */
  days: { column: number; label: string; iso: string; today: boolean; notes?: DayNote[] }[];
  hours: { label: string; rowStart: number }[];
  /**
   * One cell per day and hour. With a therapist chosen, only hours with a free slot (their availability) are
   * links, to the slot's start; with everyone shown, every hour is.
   */
  slots: { url?: string; label: string; day: number; rowStart: number; free: boolean }[];
  /** Whether free time is shown (a therapist is chosen). */
  showsAvailability: boolean;
  blocks: CalendarBlock[];
  /** Most notes under one day's header (up to 4), which sets the header row's height for the hours beside it. */
  headNotes: number;
  /** Sessions that did not fit beside the others, as "+N" links to their day. */
  more: CalendarMore[];
  previousUrl: string;
  nextUrl: string;
  thisWeekUrl: string;
  therapistId?: number;
  empty: boolean;
}

export const weekStart = (day: Temporal.PlainDate): Temporal.PlainDate =>
  day.subtract({ days: day.dayOfWeek - 1 });

/** `page` is which group of therapists everyone's week shows, in a clinic too large for one week grid. */
export const calendarUrl = (monday: Temporal.PlainDate, therapistId?: number, page?: number): string =>
  pagedUrl('/calendar', { week: monday.toString(), therapist_id: therapistId }, page ?? 1);

const DAY_FORMAT: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const LONG_DAY_FORMAT: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };

export function toCalendarView(
  monday: Temporal.PlainDate,
  sessions: SessionWithPeople[],
  clock: ClinicClock,
  therapistId?: number,
  freeStarts?: Date[],
  page?: number,
): CalendarView {
  // The first free start in each local day and hour, e.g. "2025-11-17T10" → 10:15 when 10:00 is taken.
  const firstFree = new Map<string, string>();
  for (const start of freeStarts ?? []) {
    const local = clock.localInput(start);
    if (!firstFree.has(local.slice(0, 13))) firstFree.set(local.slice(0, 13), local);
  }
  const today = clock.today();
  const days = Array.from({ length: 7 }, (_, index) => monday.add({ days: index }));
  const { blocks, more } = layOut(sessions, monday, clock, therapistId === undefined);
  const sunday = days[6] ?? monday;
  return {
    week: monday.toString(),
    weekLabel: `${clock.day(monday, LONG_DAY_FORMAT)} – ${clock.day(sunday, LONG_DAY_FORMAT)} ${sunday.year}`,
    days: days.map((day, index) => ({
      column: index + 1,
      label: clock.day(day, DAY_FORMAT),
      iso: day.toString(),
      today: day.equals(today),
    })),
    hours: Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, index) => ({
      label: `${String(FIRST_HOUR + index).padStart(2, '0')}:00`,
      rowStart: rowOf((FIRST_HOUR + index) * 60),
    })),
    slots: days.flatMap((day, index) =>
      Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, offset) => {
        const hour = String(FIRST_HOUR + offset).padStart(2, '0');
        const cell = `${day.toString()}T${hour}`;
        const start = freeStarts ? firstFree.get(cell) : `${cell}:00`;
        return {
          url: start ? listUrl('/sessions/new', { therapist_id: therapistId, date: start }) : undefined,
          label: start
            ? `Book ${clock.day(day, LONG_DAY_FORMAT)} at ${start.slice(11)}`
            : `${clock.day(day, LONG_DAY_FORMAT)} at ${hour}:00: not available`,
          day: index + 1,
          rowStart: rowOf((FIRST_HOUR + offset) * 60),
          free: Boolean(freeStarts && start),
        };
      }),
    ),
    showsAvailability: freeStarts !== undefined,
    blocks,
    more,
    headNotes: 0,
    previousUrl: calendarUrl(monday.subtract({ weeks: 1 }), therapistId, page),
    nextUrl: calendarUrl(monday.add({ weeks: 1 }), therapistId, page),
    thisWeekUrl: calendarUrl(weekStart(today), therapistId, page),
    therapistId,
    empty: sessions.length === 0,
  };
}

/** The instants a week of the clinic's calendar runs between: local midnight of its Monday and of the next. */
export const weekRange = (monday: Temporal.PlainDate, timeZone: string): { from: Date; to: Date } => ({
  from: startOfDay(monday, timeZone),
  to: startOfDay(monday.add({ weeks: 1 }), timeZone),
});

/** The calendar page: its week, and the therapist filter around it. */
export interface CalendarPageView extends CalendarView {
  title: string;
  nav: { calendar: true };
  errors: FieldError[];
  timeZone: string;
  /** The filter's choices; only the full page has the form (htmx swaps the week alone). */
  therapistOptions?: Option[];
  pager: TherapistPager;
}

export interface CalendarWeek {
  monday: Temporal.PlainDate;
  sessions: SessionWithPeople[];
  therapistId?: number;
  /** The chosen therapist's free slot starts; none when everyone is shown. */
  freeStarts?: Date[];
  errors: FieldError[];
  /** Every therapist, for the filter of the full page. */
  therapists?: { id: number; name: string }[];
  /** Everyone's week: which therapists it shows, when not all fit. */
  page?: number;
  pager: TherapistPager;
}

export const toCalendarPageView = (week: CalendarWeek, clock: ClinicClock): CalendarPageView => ({
  title: 'Calendar',
  nav: { calendar: true },
  ...toCalendarView(week.monday, week.sessions, clock, week.therapistId, week.freeStarts, week.page),
  errors: week.errors,
  pager: week.pager,
  timeZone: clock.timeZone,
  ...(week.therapists && { therapistOptions: personOptions(week.therapists, week.therapistId) }),
});
