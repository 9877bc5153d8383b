import type { ProblemException } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { Crumb } from '../common/web/crumb.js';
import { formText } from '../common/web/form-view.js';
import { THERAPIST_NAV, THERAPISTS } from '../therapists/therapist.view.js';
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

/** The confirmation of an added interval, e.g. `Working hours added: Monday 09:00–17:00`. */
export const intervalAdded = (interval: { weekday: number; start: string; end: string }): string =>
  `Working hours added: ${WEEKDAY_NAMES[interval.weekday - 1] ?? ''} ${interval.start}–${interval.end}`;

export interface WorkingHoursView {
  timeZone: string;
  /** Where the add form posts (and where the section loads from). */
  formUrl: string;
  days: { name: string; intervals: { id: number; label: string; deleteUrl: string }[] }[];
  empty: boolean;
  values: IntervalFormValues;
  weekdayOptions: { value: number; label: string; selected: boolean }[];
  errors: Record<string, string>;
  formError?: string;
}

export function toWorkingHoursView(
  schedule: TherapistSchedule,
  values: IntervalFormValues,
  errors: FieldError[],
  problem?: ProblemException,
): WorkingHoursView {
  const byField = errorsByField(errors);
  return {
    timeZone: schedule.timeZone,
    formUrl: workingHoursUrl(schedule.therapist.id),
    days: WEEKDAY_NAMES.map((name, index) => ({
      name,
      intervals: schedule.intervals
        .filter((interval) => interval.weekday === index + 1)
        .map((interval) => ({
          id: interval.id,
          label: `${formatMinute(interval.startMinute)}–${formatMinute(interval.endMinute)}`,
          deleteUrl: `${workingHoursUrl(schedule.therapist.id)}/${interval.id}/delete`,
        })),
    })),
    empty: schedule.intervals.length === 0,
    values,
    weekdayOptions: WEEKDAY_NAMES.map((label, index) => ({
      value: index + 1,
      label,
      selected: String(index + 1) === values.weekday,
    })),
    errors: byField,
    formError:
      problem && !Object.keys(byField).some((field) => ['weekday', 'start', 'end'].includes(field))
        ? problem.message
        : undefined,
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

/** The section showing `interval` in its form (and the problem of a failed add). */
export function toWorkingHoursPageView(
  schedule: TherapistSchedule,
  interval: IntervalFormValues,
  problem?: ProblemException,
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
    workingHours: toWorkingHoursView(schedule, interval, problem?.errors ?? [], problem),
  };
}
