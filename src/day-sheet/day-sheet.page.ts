import type { Temporal } from 'temporal-polyfill';
import type { ClinicClock } from '../common/time/clinic-time.js';
import type { FieldError } from '../common/problems/problem-details.js';
import type { DaySheetData } from './day-sheet.service.js';
import { dayUrl, toDaySheetView, type DaySheetView } from './day-sheet.view.js';

export interface DaySheetPage extends DaySheetView {
  title: string;
  nav: { day: true };
  /** What the date field shows: the asked-for text when it was not a date. */
  dateInput: string;
}

/** The page around the sheet; a date that is not one keeps its text in the field with the message next to it. */
export function toDaySheetPage(
  data: DaySheetData | undefined,
  today: Temporal.PlainDate,
  clock: ClinicClock,
  refused: { errors: FieldError[]; asked: string } = { errors: [], asked: '' },
): DaySheetPage {
  const base = { title: 'Day sheet', nav: { day: true } as const };
  if (data) return { ...base, ...toDaySheetView(data, today, clock), dateInput: data.date.toString() };
  return {
    ...base,
    date: today.toString(),
    dateLabel: 'Day sheet',
    isToday: false,
    previousUrl: dayUrl(today.subtract({ days: 1 })),
    nextUrl: dayUrl(today.add({ days: 1 })),
    todayUrl: '/day',
    selfUrl: '/day',
    timeZone: clock.timeZone,
    hours: [],
    columns: [],
    agendaColumns: [],
    empty: false,
    errors: refused.errors,
    dateInput: refused.asked,
    pager: {},
  };
}
