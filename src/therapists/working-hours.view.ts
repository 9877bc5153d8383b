import type { ProblemException } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { errorsByField } from '../common/validation/validate-input.js';
import { formText } from '../common/web/form-view.js';
import { formatMinute, WEEKDAY_NAMES } from '../scheduling/working-hours.js';
import type { TherapistSchedule } from '../scheduling/working-hours.service.js';

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

export interface WorkingHoursView {
  timeZone: string;
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
    days: WEEKDAY_NAMES.map((name, index) => ({
      name,
      intervals: schedule.intervals
        .filter((interval) => interval.weekday === index + 1)
        .map((interval) => ({
          id: interval.id,
          label: `${formatMinute(interval.startMinute)}–${formatMinute(interval.endMinute)}`,
          deleteUrl: `/therapists/${schedule.therapist.id}/working-hours/${interval.id}/delete`,
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
