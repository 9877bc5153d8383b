import type { Temporal } from 'temporal-polyfill';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { startOfDay } from '../common/time/date-range.js';
import type { UnavailableSpan } from '../scheduling/unavailability.js';
import type { CalendarView } from './calendar.view.js';

/** A closure, or someone's time off, on a day of the week: said in words in that day's header. */
export interface DayNote {
  text: string;
  closure: boolean;
}

/** What the week's days are short of: the clinic's closures, and the shown therapists' time off. */
export interface WeekAway {
  closures: UnavailableSpan[];
  timeOff: Map<number, UnavailableSpan[]>;
  names: Map<number, string>;
}

/**
 * The notes of each day, Monday first: "Closed: Christmas", then "Away: Holiday" (one therapist's week) or
 * "Dr Chen away 14:00–17:00: Dentist" (everyone's), with the times ("from 14:00", "until 12:00") when it covers only
 * part of the day.
 */
export function notesOfWeek(
  monday: Temporal.PlainDate,
  away: WeekAway,
  clock: ClinicClock,
  oneTherapist: boolean,
): DayNote[][] {
  return Array.from({ length: 7 }, (_, index) => {
    const start = startOfDay(monday.add({ days: index }), clock.timeZone);
    const end = startOfDay(monday.add({ days: index + 1 }), clock.timeZone);
    const overlaps = (span: UnavailableSpan): boolean => span.start < end && start < span.end;
    const part = (span: UnavailableSpan): string => {
      if (span.start <= start) return span.end >= end ? '' : ` until ${clock.time(span.end)}`;
      return span.end >= end
        ? ` from ${clock.time(span.start)}`
        : ` ${clock.time(span.start)}–${clock.time(span.end)}`;
    };
    const closed = away.closures
      .filter(overlaps)
      .map((span) => ({ text: `Closed: ${span.label}`, closure: true }));
    const timeOff = [...away.timeOff.entries()].flatMap(([therapistId, spans]) =>
      spans
        .filter((span) => span.kind === 'time_off' && overlaps(span))
        .map((span) => ({
          text: `${oneTherapist ? 'Away' : `${away.names.get(therapistId) ?? ''} away`}${part(span)}: ${span.label}`,
          closure: false,
        })),
    );
    return [...closed, ...timeOff];
  });
}

/** The week with each day's notes; on a closed day no hour offers a booking (it would be refused). */
export function withNotes<View extends CalendarView>(view: View, notes: DayNote[][]): View {
  const closedDays = new Set(
    notes.flatMap((dayNotes, index) => (dayNotes.some((note) => note.closure) ? [index + 1] : [])),
  );
  return {
    ...view,
    days: view.days.map((day, index) => ({ ...day, notes: notes[index] ?? [] })),
    headNotes: Math.min(4, Math.max(0, ...notes.map((dayNotes) => dayNotes.length))),
    slots: view.slots.map((slot) =>
      closedDays.has(slot.day) && slot.url !== undefined
        ? { ...slot, url: undefined, label: `${slot.label.replace(/^Book /, '')}: the clinic is closed` }
        : slot,
    ),
  };
}
