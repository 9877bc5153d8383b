import type { ProblemException } from '../common/problems/problem.exception.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { Crumb } from '../common/web/crumb.js';
import { formText } from '../common/web/form-view.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { THERAPIST_NAV, THERAPISTS } from '../therapists/therapist.view.js';
import { toStrandedListView, type StrandedListView } from './stranded.view.js';
import type { StrandedSession } from './unavailability.service.js';
import type { WorkingHours } from './working-hours.entity.js';
import { formatMinute, WEEKDAY_NAMES } from './working-hours.js';
import type { TherapistSchedule } from './working-hours.service.js';

/** The add-interval form as the user filled it in (`<input type="time">` sends HH:MM). */
export type IntervalFormValues = {
  weekday: string;
  start: string;
  end: string;
};

export const EMPTY_INTERVAL: IntervalFormValues = { weekday: '1', start: '09:00', end: '17:00' };

export const intervalFormValues = (body: Record<string, unknown>): IntervalFormValues => ({
  weekday: formText(body.weekday),
  start: formText(body.start),
  end: formText(body.end),
});

/** The therapist's working-hours section: the fragment their page loads, and a page of its own without JavaScript. */
export const workingHoursUrl = (therapistId: number): string =>
  `${THERAPISTS.path}/${therapistId}/working-hours`;

/** Where a change to the hours leads back to: the section on the therapist's page (the slot keeps its id). */
export const therapistHoursUrl = (therapistId: number): string =>
  `${THERAPISTS.path}/${therapistId}#working-hours`;

/** The confirmation of an added or changed interval, e.g. `Working hours added: Monday 09:00–17:00` */
export const intervalAdded = (
  interval: { weekday: number; start: string; end: string },
  done = 'added',
): string =>
  `Working hours ${done}: ${WEEKDAY_NAMES[interval.weekday - 1] ?? ''} ${interval.start}–${interval.end}`;

/** An interval's own form as its fields show it (the end of a day as 00:00, which a time field can hold). */
const intervalValues = (interval: WorkingHours): IntervalFormValues => ({
  weekday: String(interval.weekday),
  start: formatMinute(interval.startMinute),
  end: interval.endMinute === 24 * 60 ? '00:00' : formatMinute(interval.endMinute),
});

/** An interval's edit form after a refused change: what the user sent and what is wrong with it. */
export interface IntervalEdit {
  id: number;
  values: IntervalFormValues;
  problem: ProblemException;
}

export interface IntervalView {
  id: number;
  label: string;
  /** The day and hours, for controls that must say which interval they act on. */
  name: string;
  updateUrl: string;
  deleteUrl: string;
  /** The edit form's field ids, unique on the page. */
  ids: { weekday: string; start: string; end: string };
  values: IntervalFormValues;
  weekdayOptions: { value: number; label: string; selected: boolean }[];
  errors: Record<string, string>;
  formError?: string;
  /** The edit form is shown open: it was refused. */
  open: boolean;
}

const weekdayOptions = (weekday: string): IntervalView['weekdayOptions'] =>
  WEEKDAY_NAMES.map((label, index) => ({ value: index + 1, label, selected: String(index + 1) === weekday }));

const FIELDS = ['weekday', 'start', 'end'];
const formErrorOf = (byField: Record<string, string>, problem?: ProblemException): string | undefined =>
  problem && !Object.keys(byField).some((field) => FIELDS.includes(field)) ? problem.message : undefined;

function toIntervalView(
  schedule: TherapistSchedule,
  interval: WorkingHours,
  edit?: IntervalEdit,
): IntervalView {
  const refused = edit?.id === interval.id ? edit : undefined;
  const values = refused?.values ?? intervalValues(interval);
  const errors = errorsByField(refused?.problem.errors ?? []);
  const label = `${formatMinute(interval.startMinute)}–${formatMinute(interval.endMinute)}`;
  const url = `${workingHoursUrl(schedule.therapist.id)}/${interval.id}`;
  return {
    id: interval.id,
    label,
    name: `${WEEKDAY_NAMES[interval.weekday - 1] ?? ''} ${label}`,
    updateUrl: url,
    deleteUrl: `${url}/delete`,
    ids: {
      weekday: `interval-${interval.id}-weekday`,
      start: `interval-${interval.id}-start`,
      end: `interval-${interval.id}-end`,
    },
    values,
    weekdayOptions: weekdayOptions(values.weekday),
    errors,
    formError: formErrorOf(errors, refused?.problem),
    open: refused !== undefined,
  };
}

export interface WorkingHoursView {
  timeZone: string;
  /** Where the add form posts (and where the section loads from). */
  formUrl: string;
  days: { name: string; intervals: IntervalView[] }[];
  empty: boolean;
  values: IntervalFormValues;
  weekdayOptions: { value: number; label: string; selected: boolean }[];
  errors: Record<string, string>;
  formError?: string;
  /** The therapist's Scheduled sessions that their hours, time off or closures leave out. */
  stranded: StrandedListView;
}

/** What the section shows besides the week: the add form as filled in, or a refused edit, and what is stranded. */
export interface WorkingHoursState {
  values: IntervalFormValues;
  /** The problem of a refused add. */
  problem?: ProblemException;
  edit?: IntervalEdit;
  stranded: StrandedSession[];
}

export function toWorkingHoursView(
  schedule: TherapistSchedule,
  state: WorkingHoursState,
  clock: ClinicClock,
): WorkingHoursView {
  const { values, problem } = state;
  const byField = errorsByField(problem?.errors ?? []);
  return {
    timeZone: schedule.timeZone,
    formUrl: workingHoursUrl(schedule.therapist.id),
    days: WEEKDAY_NAMES.map((name, index) => ({
      name,
      intervals: schedule.intervals
        .filter((interval) => interval.weekday === index + 1)
        .map((interval) => toIntervalView(schedule, interval, state.edit)),
    })),
    empty: schedule.intervals.length === 0,
    values,
    weekdayOptions: weekdayOptions(values.weekday),
    errors: byField,
    formError: formErrorOf(byField, problem),
    stranded: toStrandedListView(state.stranded, clock),
  };
}

/** The form as DTO input: a time field cannot hold 24:00, so an end of 00:00 is midnight at the end of the day. */
export const workingHoursInput = (values: IntervalFormValues): IntervalFormValues => ({
  ...values,
  end: values.end === '00:00' ? '24:00' : values.end,
});

/** The working-hours section, or without JavaScript a page of its own under the therapist's name. */
export interface WorkingHoursPageView {
  title: string;
  nav: Record<string, boolean>;
  breadcrumbs: Crumb[];
  therapist: { name: string; url: string };
  workingHours: WorkingHoursView;
}

/** The section, its add form showing `state.values` (and the problem of a failed add or edit). */
export function toWorkingHoursPageView(
  schedule: TherapistSchedule,
  state: WorkingHoursState,
  clock: ClinicClock,
): WorkingHoursPageView {
  const { id, name } = schedule.therapist;
  const url = `${THERAPISTS.path}/${id}`;
  return {
    title: `Working hours of ${name}`,
    nav: THERAPIST_NAV,
    breadcrumbs: [
      { label: THERAPISTS.title, url: THERAPISTS.path },
      { label: name, url },
      { label: 'Working hours' },
    ],
    therapist: { name, url },
    workingHours: toWorkingHoursView(schedule, state, clock),
  };
}
