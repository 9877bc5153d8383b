import type { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../common/problems/problem-details.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { listUrl } from '../common/web/list-url.js';
import type { TherapistPager } from '../common/web/therapist-page.js';
import { workingSpans } from '../scheduling/working-hours.js';
import { checkInRefusal } from '../sessions/session-check-in.service.js';
import type { SessionWithPeople } from '../sessions/session.repository.js';
import { CANCELLED_STATUSES } from '../sessions/session-status.js';
import { DEFAULT_DURATION_MINUTES } from '../sessions/session.entity.js';
import type { FreeSlot } from '../waitlist/waitlist.service.js';
import { statusClass } from '../sessions/session.view.js';
import type { DaySheetData } from './day-sheet.service.js';
import { piecesOf, sizeClass, snap, type AwaySpan, type Span } from './day-sheet.layout.js';

/** A session on the sheet: the whole block links to it; check-in is its one action here. */
export interface DayBlock extends Span {
  id: number;
  url: string;
  patient: string;
  therapist: string;
  time: string;
  status: string;
  statusClass: string;
  cancelled: boolean;
  /** e.g. `09:55`, when the patient has arrived. */
  arrivedAt?: string;
  /** Whether the front desk may check the patient in (or undo it) now: today, and the session takes place. */
  canCheckIn: boolean;
  /** Why the session no longer fits its therapist's day (outside hours, time off, a closure). */
  stranded?: string;
  /** The next session to start (today only). */
  next: boolean;
  past: boolean;
  /** A cancelled session yet to start: the time it gave back, for the waitlist. */
  slot?: FreeSlot;
  waiting?: WaitingLink;
}

/** `3 waiting`: the waiting patients who could take a slot, on their own page with a Book button each. */
export interface WaitingLink {
  label: string;
  url: string;
}

/** A free stretch of a therapist's working time: one partial (`day_gap`) draws it, prefilled booking link included. */
export interface DayGap {
  therapistId: number;
  /** Local `YYYY-MM-DDTHH:MM`, as the booking form takes it. */
  start: string;
  time: string;
  minutes: number;
  /** Only for gaps long enough to book and not over. */
  url?: string;
  label: string;
  /** Its first session's length of time, for the waitlist (bookable gaps only). */
  slot?: FreeSlot;
  waiting?: WaitingLink;
}

export interface DaySegment {
  kind: 'free' | 'off' | 'away' | 'sessions';
  size: string;
  label?: string;
  closure?: boolean;
  gap?: DayGap;
  blocks?: DayBlock[];
}

export interface DayColumn {
  therapistId: number;
  name: string;
  count: number;
  hoursLabel: string;
  segments: DaySegment[];
  blocks: DayBlock[];
  /** The phone's list: what is still to come first (today), then what is over. */
  agenda: DayBlock[];
  /** The closures and time off of the day in words, for the phone's list (the grid hatches them). */
  awayNotes: { text: string; closure: boolean }[];
}

export interface DaySheetView {
  date: string;
  dateLabel: string;
  isToday: boolean;
  previousUrl: string;
  nextUrl: string;
  todayUrl: string;
  selfUrl: string;
  timeZone: string;
  hours: { label: string; size: string }[];
  columns: DayColumn[];
  /** The phone's groups: whoever sees a patient next first, those with nothing left last. */
  agendaColumns: DayColumn[];
  /** The "now" line's offset from the top, today only. */
  nowSize?: string;
  nowTime?: string;
  /** How many Scheduled sessions no longer fit, said as a warning; none when all fit. */
  strandedMessage?: string;
  empty: boolean;
  errors: FieldError[];
  pager: TherapistPager;
}

const BOOKABLE_MINUTES = 30;
const DEFAULT_WINDOW = { start: 8 * 60, end: 18 * 60 };
const LONG_DAY: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
};

export const dayUrl = (date: Temporal.PlainDate | string): string =>
  listUrl('/day', { date: date.toString() });

export function toDaySheetView(
  data: DaySheetData,
  today: Temporal.PlainDate,
  clock: ClinicClock,
): DaySheetView {
  const origin = data.range.start.getTime();
  const minuteOf = (instant: Date | number): number => (new Date(instant).getTime() - origin) / 60_000;
  const instantOf = (minute: number): Date => new Date(origin + minute * 60_000);
  const dayLength = minuteOf(data.range.end);
  const nowMinute = minuteOf(data.now);
  const isToday = data.date.equals(today);
  const returnTo = dayUrl(data.date);

  const bySession = (session: SessionWithPeople): DayBlock => ({
    id: session.id,
    url: `/sessions/${session.id}`,
    patient: session.patient.$.name,
    therapist: session.therapist.$.name,
    start: minuteOf(session.startsAt),
    end: minuteOf(session.endsAt),
    time: `${clock.time(session.startsAt)}–${clock.time(session.endsAt)}`,
    status: session.status,
    statusClass: statusClass(session.status),
    cancelled: CANCELLED_STATUSES.includes(session.status),
    arrivedAt: session.checkedInAt ? clock.time(session.checkedInAt) : undefined,
    canCheckIn: checkInRefusal(session, data.now, clock) === undefined,
    stranded: data.stranded.get(session.id),
    next: false,
    past: isToday && session.endsAt.getTime() <= data.now.getTime(),
    slot:
      CANCELLED_STATUSES.includes(session.status) && session.startsAt.getTime() > data.now.getTime()
        ? { therapistId: session.therapist.id, start: session.startsAt, end: session.endsAt }
        : undefined,
  });

  const columns = data.schedules.flatMap((schedule) => {
    const id = schedule.therapist.id;
    const blocks = data.sessions.filter((session) => session.therapist.id === id).map(bySession);
    const work =
      schedule.intervals.length === 0
        ? undefined
        : workingSpans(schedule.intervals, data.range.start, data.range.end, schedule.timeZone)
            .map((span) => ({ start: minuteOf(span.start), end: minuteOf(span.end) }))
            .filter((span) => span.end > 0 && span.start < dayLength);
    if (blocks.length === 0 && !work?.length) return [];
    const away: AwaySpan[] = (data.unavailable.get(id) ?? []).map((span) => ({
      kind: span.kind,
      label: span.label,
      start: minuteOf(span.start),
      end: minuteOf(span.end),
    }));
    const upcoming = blocks.find((block) => isToday && !block.cancelled && block.start >= nowMinute);
    if (upcoming) upcoming.next = true;
    return [{ id, name: schedule.therapist.name, blocks, work, away }];
  });

  const edges = columns.flatMap((column) => [...(column.work ?? []), ...column.blocks]);
  const window = {
    start: Math.max(
      0,
      Math.floor(Math.min(DEFAULT_WINDOW.start, ...edges.map((span) => span.start)) / 60) * 60,
    ),
    end: Math.min(
      dayLength,
      Math.ceil(Math.max(DEFAULT_WINDOW.end, ...edges.map((span) => span.end)) / 60) * 60,
    ),
  };
  /** ` 15:00–17:00`, ` from 15:00` or ` until 12:00` for time away during part of the day; nothing for all of it. */
  const partOfDay = (span: AwaySpan): string => {
    const time = (minute: number): string => clock.time(instantOf(minute));
    if (span.start <= 0) return span.end >= dayLength ? '' : ` until ${time(span.end)}`;
    return span.end >= dayLength ? ` from ${time(span.start)}` : ` ${time(span.start)}–${time(span.end)}`;
  };
  const gapOf = (therapistId: number, start: number, end: number): DayGap => {
    const bookFrom = isToday ? Math.max(start, Math.ceil(nowMinute / 15) * 15) : start;
    const local = clock.localInput(instantOf(bookFrom));
    const bookable = end - bookFrom >= BOOKABLE_MINUTES;
    return {
      therapistId,
      start: local,
      time: `${clock.time(instantOf(start))}–${clock.time(instantOf(end))}`,
      minutes: end - start,
      url: bookable ? listUrl('/sessions/new', { therapist_id: therapistId, date: local }) : undefined,
      label: `Book ${local.slice(11)}`,
      slot: bookable
        ? {
            therapistId,
            start: instantOf(bookFrom),
            end: instantOf(Math.min(end, bookFrom + DEFAULT_DURATION_MINUTES)),
          }
        : undefined,
    };
  };

  const dayColumns: DayColumn[] = columns.map((column) => ({
    therapistId: column.id,
    name: column.name,
    count: column.blocks.filter((block) => !block.cancelled).length,
    hoursLabel: column.work?.length
      ? column.work
          .map((span) => `${clock.time(instantOf(span.start))}–${clock.time(instantOf(span.end))}`)
          .join(', ')
      : 'No working hours',
    blocks: column.blocks,
    agenda: [...column.blocks.filter((block) => !block.past), ...column.blocks.filter((block) => block.past)],
    awayNotes: column.away.map((span) => ({
      text: `${span.kind === 'closure' ? 'Closed' : 'Away'}${partOfDay(span)}: ${span.label}`,
      closure: span.kind === 'closure',
    })),
    segments: piecesOf(window, column.blocks, column.work, column.away).map((piece) => ({
      kind: piece.kind,
      size: sizeClass(piece.end - piece.start),
      ...(piece.kind === 'away' && { label: piece.label, closure: piece.closure }),
      ...(piece.kind === 'free' && { gap: gapOf(column.id, piece.start, piece.end) }),
      ...(piece.kind === 'sessions' && { blocks: piece.items }),
    })),
  }));

  const showsNow = isToday && nowMinute >= window.start && nowMinute <= window.end;
  return {
    date: data.date.toString(),
    dateLabel: clock.day(data.date, LONG_DAY),
    isToday,
    previousUrl: dayUrl(data.date.subtract({ days: 1 })),
    nextUrl: dayUrl(data.date.add({ days: 1 })),
    todayUrl: '/day',
    selfUrl: returnTo,
    timeZone: clock.timeZone,
    hours: Array.from({ length: Math.ceil((window.end - window.start) / 60) }, (_, index) => ({
      label: clock.time(instantOf(window.start + index * 60)),
      size: sizeClass(Math.min(60, window.end - window.start - index * 60)),
    })),
    columns: dayColumns,
    agendaColumns: [...dayColumns].sort((a, b) => nextStart(a) - nextStart(b)),
    nowSize: showsNow ? sizeClass(snap(nowMinute) - window.start) : undefined,
    nowTime: showsNow ? clock.time(data.now) : undefined,
    strandedMessage: strandedMessage(
      dayColumns.flatMap((column) => column.blocks).filter((b) => b.stranded).length,
    ),
    empty: dayColumns.length === 0,
    errors: [],
    pager: data.pager,
  };
}

const strandedMessage = (count: number): string | undefined => {
  if (count === 0) return undefined;
  const [sessions, them] =
    count === 1 ? ['1 Scheduled session is', 'it'] : [`${count} Scheduled sessions are`, 'them'];
  return `${sessions} outside working hours, in time off or on a closed day: open ${them} to move ${them}.`;
};

/** When a column's next session still to come starts; columns with none sort last, in their order. */
const nextStart = (column: DayColumn): number =>
  column.blocks.find((block) => !block.past && !block.cancelled)?.start ?? Number.POSITIVE_INFINITY;
