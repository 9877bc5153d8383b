import type { FieldError } from '../common/problems/problem-details.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock, parseLocalDateTime } from '../common/time/clinic-time.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { Crumb } from '../common/web/crumb.js';
import { formText } from '../common/web/form-view.js';
import { THERAPIST_NAV, THERAPISTS } from '../therapists/therapist.view.js';
import { toStrandedListView, type StrandedListView } from './stranded.view.js';
import type { TimeOff } from './time-off.entity.js';
import type { AddedTimeOff, TherapistTimeOff } from './time-off.service.js';
import type { TherapistSchedule } from './working-hours.service.js';

/** The add form as the user filled it in: local date-times (`datetime-local`) in the therapist's zone. */
export type TimeOffFormValues = { starts_at: string; ends_at: string; reason: string };

export const EMPTY_TIME_OFF: TimeOffFormValues = { starts_at: '', ends_at: '', reason: '' };

export const timeOffFormValues = (body: Record<string, unknown>): TimeOffFormValues => ({
  starts_at: formText(body.starts_at),
  ends_at: formText(body.ends_at),
  reason: formText(body.reason),
});

/** The form as the API's input: each local date-time as an instant in `zone` (the therapist's). */
export function timeOffInput(
  values: TimeOffFormValues,
  zone: ClinicClock,
): { input: Record<string, unknown>; errors: FieldError[] } {
  const input: Record<string, unknown> = { reason: values.reason };
  const errors: FieldError[] = [];
  for (const field of ['starts_at', 'ends_at'] as const) {
    const local = parseLocalDateTime(values[field]);
    const instant = local && zone.instantOf(local);
    if (!local) errors.push({ field, message: 'Enter a date and time' });
    else if (!instant) {
      const shown = values[field].replace('T', ' ');
      errors.push({
        field,
        message: `${shown} does not exist in ${zone.timeZone}: the clocks go forward then`,
      });
    } else input[field] = instant.toISOString();
  }
  return { input, errors };
}

/** The therapist's time-off section: the fragment their page loads, and a page of its own without JavaScript. */
export const timeOffUrl = (therapistId: number): string => `${THERAPISTS.path}/${therapistId}/time-off`;
export const timeOffEntryUrl = (timeOff: TimeOff): string =>
  `${timeOffUrl(timeOff.therapist.id)}/${timeOff.id}`;
/** Where a change leads back to: the section on the therapist's page (the slot keeps its id). */
export const therapistTimeOffUrl = (therapistId: number): string =>
  `${THERAPISTS.path}/${therapistId}#time-off`;

/** e.g. `Mon, 2 Aug 2027, 09:00 – Mon, 16 Aug 2027, 00:00` in the therapist's zone. */
export const timeOffSpan = (timeOff: TimeOff, zone: ClinicClock): string =>
  `${zone.date(timeOff.startsAt)}, ${zone.time(timeOff.startsAt)} – ${zone.date(timeOff.endsAt)}, ${zone.time(timeOff.endsAt)}`;

/** e.g. `Time off added: Mon, 2 Aug 2027, 09:00 – … (Summer holiday)` */
export const timeOffAdded = (timeOff: TimeOff, zone: ClinicClock): string =>
  `Time off added: ${timeOffSpan(timeOff, zone)} (${timeOff.reason})`;

export interface TimeOffEntryView {
  id: number;
  span: string;
  reason: string;
  url: string;
  deleteUrl: string;
}

const toEntryView = (timeOff: TimeOff, zone: ClinicClock): TimeOffEntryView => ({
  id: timeOff.id,
  span: timeOffSpan(timeOff, zone),
  reason: timeOff.reason,
  url: timeOffEntryUrl(timeOff),
  deleteUrl: `${timeOffEntryUrl(timeOff)}/delete`,
});

export interface TimeOffSectionView {
  timeZone: string;
  formUrl: string;
  entries: TimeOffEntryView[];
  values: TimeOffFormValues;
  errors: Record<string, string>;
  formError?: string;
}

const FIELDS = ['starts_at', 'ends_at', 'reason'];

/** The list of time off yet to end and the add form (with the problem of a failed add). */
export function toTimeOffSectionView(
  data: TherapistTimeOff,
  values: TimeOffFormValues,
  problem?: ProblemException,
): TimeOffSectionView {
  const zone = zoneOf(data);
  const errors = errorsByField(problem?.errors ?? []);
  return {
    timeZone: data.timeZone,
    formUrl: timeOffUrl(data.therapist.id),
    entries: data.timeOff.map((timeOff) => toEntryView(timeOff, zone)),
    values,
    errors,
    formError:
      problem && !Object.keys(errors).some((field) => FIELDS.includes(field)) ? problem.message : undefined,
  };
}

/** A page under the therapist's name: the section without JavaScript, or one stretch of time off. */
interface TherapistSubpage {
  title: string;
  nav: Record<string, boolean>;
  breadcrumbs: Crumb[];
  therapist: { name: string; url: string };
}

const subpage = (schedule: TherapistSchedule, title: string, crumbs: Crumb[]): TherapistSubpage => {
  const { id, name } = schedule.therapist;
  const url = `${THERAPISTS.path}/${id}`;
  return {
    title: `${title} of ${name}`,
    nav: THERAPIST_NAV,
    breadcrumbs: [{ label: THERAPISTS.title, url: THERAPISTS.path }, { label: name, url }, ...crumbs],
    therapist: { name, url },
  };
};

export interface TimeOffPageView extends TherapistSubpage {
  timeOff: TimeOffSectionView;
}

export const toTimeOffPageView = (
  data: TherapistTimeOff,
  values: TimeOffFormValues,
  problem?: ProblemException,
): TimeOffPageView => ({
  ...subpage(data, 'Time off', [{ label: 'Time off' }]),
  timeOff: toTimeOffSectionView(data, values, problem),
});

/** One stretch of time off: when, why, the sessions still booked in it (to move), and its removal. */
export interface TimeOffEntryPageView extends TherapistSubpage {
  entry: TimeOffEntryView;
  timeZone: string;
  stranded: StrandedListView;
}

export function toTimeOffEntryPageView(
  schedule: TherapistSchedule,
  { timeOff, stranded }: AddedTimeOff,
  clock: ClinicClock,
): TimeOffEntryPageView {
  const zone = zoneOf(schedule);
  return {
    ...subpage(schedule, 'Time off', [
      { label: 'Time off', url: therapistTimeOffUrl(schedule.therapist.id) },
      { label: timeOff.reason },
    ]),
    entry: toEntryView(timeOff, zone),
    timeZone: schedule.timeZone,
    stranded: toStrandedListView(stranded, clock),
  };
}

/** The therapist's zone as a clock: their time off is entered and shown in it. */
export const zoneOf = (schedule: Pick<TherapistSchedule, 'timeZone'>): ClinicClock =>
  new ClinicClock(schedule.timeZone);
