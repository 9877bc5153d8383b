import { parseId } from '../common/http/id-param.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { validationProblem } from '../common/problems/problem.exception.js';
import { parseLocalDateTime, type ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';

/** A session form exactly as the user filled it in, so it can be shown again with their input kept. */
export interface SessionFormValues {
  therapist_id: string;
  patient_id: string;
  /** `YYYY-MM-DDTHH:mm` in the clinic's time zone, from an `<input type="datetime-local">`. */
  date: string;
  duration_minutes: string;
  notes: string;
  /** `''` (one session), `weekly` or `fortnightly`. */
  repeat: string;
  occurrences: string;
  /** `skip` (a checked box) books a series' other dates when some cannot be booked; `''` refuses them all. */
  on_conflict: string;
}

/** The detail page's edit form: what can change of a booked session. */
export type SessionEditValues = Pick<SessionFormValues, 'date' | 'duration_minutes' | 'notes'>;

export function sessionFormValues(body: Record<string, unknown>): SessionFormValues {
  return {
    therapist_id: formText(body.therapist_id),
    patient_id: formText(body.patient_id),
    date: formText(body.date),
    duration_minutes: formText(body.duration_minutes),
    notes: formText(body.notes),
    repeat: formText(body.repeat),
    occurrences: formText(body.occurrences),
    on_conflict: formText(body.on_conflict),
  };
}

/**
 * Turns the local date and time of a form into the API's instant (ISO 8601 with offset), so the form goes
 * through exactly the same validation and rules as the API. Fields the form leaves empty are left out.
 */
export function sessionFormToInput(
  values: Partial<SessionFormValues>,
  clock: ClinicClock,
): { input: Record<string, unknown>; errors: FieldError[] } {
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(values)) {
    if (['date', 'repeat', 'occurrences', 'on_conflict'].includes(field) || value === '') continue;
    input[field] = value;
  }
  if (values.repeat) {
    input.frequency = values.repeat;
    input.occurrences = values.occurrences;
    if (values.on_conflict) input.on_conflict = values.on_conflict;
  }
  if (values.notes === '') input.notes = null;
  // A select left on its placeholder is a missing choice, said in the staff's words rather than the API's.
  if (values.therapist_id === '') errors.push({ field: 'therapist_id', message: 'Choose a therapist' });
  if (values.patient_id === '') errors.push({ field: 'patient_id', message: 'Choose a patient' });
  if (values.date !== undefined) {
    const local = parseLocalDateTime(values.date);
    const instant = local && clock.instantOf(local);
    if (!local) {
      errors.push({ field: 'date', message: 'Enter a date and time' });
    } else if (!instant) {
      errors.push({
        field: 'date',
        message: `${values.date.replace('T', ' ')} does not exist in ${clock.timeZone}: the clocks go forward then`,
      });
    } else {
      input.date = instant.toISOString();
    }
  }
  return { input, errors };
}

/**
 * The edit form as the API's input. The form shows the start to the minute in the clinic's zone: sent back as
 * shown, it means "keep the start", even when that wall-clock time occurs twice (clocks going back) or the stored
 * start has seconds.
 */
export function sessionEditInput(
  body: Record<string, unknown>,
  storedStart: Date,
  clock: ClinicClock,
): { values: SessionEditValues; input: Record<string, unknown>; errors: FieldError[] } {
  const { date, duration_minutes, notes } = sessionFormValues(body);
  const values = { date, duration_minutes, notes };
  const keepsStart = date === clock.localInput(storedStart);
  return { values, ...sessionFormToInput(keepsStart ? { duration_minutes, notes } : values, clock) };
}

/** The version a form was rendered with (hidden `version` field), for the same check as the API's If-Match. */
export function formVersions(body: Record<string, unknown>): number[] {
  const version = parseId(body.version);
  if (version === undefined) {
    throw validationProblem([
      { field: 'version', message: 'The form has no valid version; reload the page and try again' },
    ]);
  }
  return [version];
}
