import type { Page } from '../common/pagination/page.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { errorsByField } from '../common/validation/validate-input.js';
import { formText } from '../common/web/form-view.js';
import { paginationView, type PaginationView } from '../common/web/pagination.view.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';
import type { FreeSlot } from './waitlist.service.js';

export const WAITLIST_PATH = '/waitlist';
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY_YEAR = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const utc = (date: string): Date => new Date(`${date}T00:00:00Z`);
const hhmm = (time: string | null): string | null => (time === null ? null : time.slice(0, 5));

/** e.g. `1 Mar – 31 Mar 2027`, `4 Dec 2026 – 1 Jan 2027`. */
export const dateRangeText = (from: string, to: string): string => {
  if (from === to) return DAY_YEAR.format(utc(from));
  const first = from.slice(0, 4) === to.slice(0, 4) ? DAY : DAY_YEAR;
  return `${first.format(utc(from))} – ${DAY_YEAR.format(utc(to))}`;
};

/** e.g. `Tue, Thu · 09:00–13:00`, `from 14:00`, or `Any day or time`. */
export function preferencesText(entry: Pick<WaitlistEntry, 'weekdays' | 'timeFrom' | 'timeTo'>): string {
  const days = entry.weekdays?.map((day) => WEEKDAYS[day - 1]).join(', ');
  const [from, to] = [hhmm(entry.timeFrom), hhmm(entry.timeTo)];
  const times = from && to ? `${from}–${to}` : from ? `from ${from}` : to ? `until ${to}` : undefined;
  return [days, times].filter(Boolean).join(' · ') || 'Any day or time';
}

export interface WaitlistEntryView {
  id: number;
  patient: { name: string; url: string };
  therapistName: string;
  dates: string;
  preferences: string;
  notes: string | null;
  /** e.g. `12 days`, with the date in `waitingSinceDate` */
  waited: string;
  waitingSinceDate: string;
  waitingSinceIso: string;
  removeUrl: string;
  bookUrl: string;
}

export function toWaitlistEntryView(entry: WaitlistEntry, clock: ClinicClock): WaitlistEntryView {
  const since = clock.localDate(entry.createdAt);
  const days = since.until(clock.today(), { largestUnit: 'days' }).days;
  return {
    id: entry.id,
    patient: { name: entry.patient.getEntity().name, url: `/patients/${entry.patient.id}` },
    therapistName: entry.therapist?.getEntity().name ?? 'Any therapist',
    dates: dateRangeText(entry.earliestDate, entry.latestDate),
    preferences: preferencesText(entry),
    notes: entry.notes,
    waited: days <= 0 ? 'today' : days === 1 ? '1 day' : `${days} days`,
    waitingSinceDate: clock.date(entry.createdAt),
    waitingSinceIso: entry.createdAt.toISOString(),
    removeUrl: `${WAITLIST_PATH}/${entry.id}/remove`,
    bookUrl: `${WAITLIST_PATH}/${entry.id}/book`,
  };
}

/** The add form as typed; `weekdays` as the checked boxes. */
export interface WaitlistFormValues {
  patient_id: string;
  therapist_id: string;
  earliest_date: string;
  latest_date: string;
  weekdays: string[];
  time_from: string;
  time_to: string;
  notes: string;
}

export const emptyWaitlistForm = (clock: ClinicClock): WaitlistFormValues => {
  const today = clock.today();
  return {
    patient_id: '',
    therapist_id: '',
    earliest_date: today.toString(),
    latest_date: today.add({ weeks: 4 }).toString(),
    weekdays: [],
    time_from: '',
    time_to: '',
    notes: '',
  };
};

export const waitlistFormValues = (body: Record<string, unknown>): WaitlistFormValues => {
  const days = body.weekdays;
  return {
    patient_id: formText(body.patient_id),
    therapist_id: formText(body.therapist_id),
    earliest_date: formText(body.earliest_date),
    latest_date: formText(body.latest_date),
    weekdays: (Array.isArray(days) ? days : [days]).filter((day): day is string => typeof day === 'string'),
    time_from: formText(body.time_from),
    time_to: formText(body.time_to),
    notes: formText(body.notes),
  };
};

/** What the DTO validates: empty optional fields left out, the checked weekdays as a list. */
export const waitlistInput = (values: WaitlistFormValues): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(values).filter(([, value]) => (Array.isArray(value) ? value.length > 0 : value !== '')),
  );

type Names = { id: number; name: string }[];
type Option = { value: string; label: string; selected: boolean };
const optionsOf = (names: Names, chosen: string): Option[] =>
  names.map(({ id, name }) => ({ value: String(id), label: name, selected: String(id) === chosen }));

export interface WaitlistPageView {
  title: string;
  nav: Record<string, boolean>;
  entries: WaitlistEntryView[];
  pagination: PaginationView;
  timeZone: string;
  values: WaitlistFormValues;
  patientOptions: Option[];
  therapistOptions: Option[];
  weekdayOptions: Option[];
  errors: Record<string, string>;
  formError?: string;
  /** A therapist's entries always name them: no choice to offer. */
  choosesTherapist: boolean;
}

const FIELDS = [
  'patient_id',
  'therapist_id',
  'earliest_date',
  'latest_date',
  'weekdays',
  'time_from',
  'time_to',
];

export function toWaitlistPageView(
  page: Page<WaitlistEntry>,
  form: { values: WaitlistFormValues; therapists: Names; patients: Names; choosesTherapist: boolean },
  clock: ClinicClock,
  problem?: ProblemException,
): WaitlistPageView {
  const errors = errorsByField(problem?.errors ?? []);
  const { values } = form;
  return {
    title: 'Waitlist',
    nav: { waitlist: true },
    entries: page.items.map((entry) => toWaitlistEntryView(entry, clock)),
    pagination: paginationView(page, (number) => `${WAITLIST_PATH}?page=${number}`),
    timeZone: clock.timeZone,
    values,
    patientOptions: optionsOf(form.patients, values.patient_id),
    therapistOptions: optionsOf(form.therapists, values.therapist_id),
    weekdayOptions: WEEKDAYS.map((label, index) => ({
      value: String(index + 1),
      label,
      selected: values.weekdays.includes(String(index + 1)),
    })),
    errors,
    formError:
      problem && !Object.keys(errors).some((field) => FIELDS.includes(field)) ? problem.message : undefined,
    choosesTherapist: form.choosesTherapist,
  };
}

/** Waiting patients who could take one slot, each bookable into it with one button. */
export interface WaitlistMatchesView {
  /** e.g. `2 waiting patients could take Tue 9 Mar 10:00` */
  heading: string;
  count: number;
  entries: WaitlistEntryView[];
  therapistId: number;
  /** The slot's start as the booking form sends it (ISO 8601, UTC). */
  date: string;
  durationMinutes: number;
  /** Where the booking form comes back to when it is refused. */
  back: string;
}

export function toWaitlistMatchesView(
  entries: WaitlistEntry[],
  slot: FreeSlot,
  clock: ClinicClock,
  back: string,
): WaitlistMatchesView {
  const when = `${clock.dayMonth(slot.start)} ${clock.time(slot.start)}`;
  const who = entries.length === 1 ? '1 waiting patient' : `${entries.length} waiting patients`;
  return {
    heading: `${who} could take ${when}`,
    count: entries.length,
    entries: entries.map((entry) => toWaitlistEntryView(entry, clock)),
    therapistId: slot.therapistId,
    date: slot.start.toISOString(),
    durationMinutes: Math.round((slot.end.getTime() - slot.start.getTime()) / 60_000),
    back,
  };
}
