import type { FieldError } from '../common/problems/problem-details.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { PersonChoices } from '../people/people.service.js';
import type { SessionFormValues } from './session-form.js';
import { shownOnAField, type ConflictHelpView } from './session-problem.view.js';
import { SeriesFrequency } from './session-series.entity.js';
import { personOptions, type Option } from './session.view.js';

const FREQUENCY_LABELS: Record<SeriesFrequency, string> = {
  [SeriesFrequency.Weekly]: 'Every week',
  [SeriesFrequency.Fortnightly]: 'Every two weeks',
};

const NEW_FIELDS = [
  'therapist_id',
  'patient_id',
  'date',
  'duration_minutes',
  'notes',
  'frequency',
  'occurrences',
];

/** The booking page and its form (`sessions/_form`, swapped alone for htmx). */
export interface SessionFormView {
  title: string;
  nav: Record<string, boolean>;
  values: SessionFormValues;
  errors: Record<string, string>;
  /** A series' occurrences that cannot be booked, each with its reason. */
  occurrenceErrors: FieldError[];
  formError?: string;
  hasErrors: boolean;
  timeZone: string;
  therapistOptions: Option[];
  patientOptions: Option[];
  /** Set when the clinic has too many patients for one select: the search that fills it. */
  patientSearch?: { q: string; found: number };
  repeatOptions: Option[];
  skipConflicts: boolean;
  /** After a refusal: the session in the way and free starts instead. */
  help: ConflictHelpView;
}

type Names = { id: number; name: string }[];

/** `problem` is a refusal by the rules (its message shown when no field carries it); `errors` go on the fields. */
export function toSessionFormView(
  values: SessionFormValues,
  people: { therapists: Names; patients: PersonChoices; timeZone: string },
  errors: FieldError[],
  problem?: ProblemException,
  help: ConflictHelpView = { suggestions: [] },
): SessionFormView {
  return {
    title: 'New session',
    nav: { sessions: true },
    values,
    errors: errorsByField(errors),
    occurrenceErrors: errors.filter((error) => error.field.startsWith('occurrences[')),
    formError: problem && !shownOnAField(problem, NEW_FIELDS) ? problem.message : undefined,
    hasErrors: errors.length > 0 || Boolean(problem),
    timeZone: people.timeZone,
    help,
    therapistOptions: personOptions(people.therapists, Number(values.therapist_id)),
    patientOptions: personOptions(people.patients.names, Number(values.patient_id)),
    patientSearch: people.patients.complete
      ? undefined
      : { q: people.patients.q, found: people.patients.names.length },
    skipConflicts: values.on_conflict === 'skip',
    repeatOptions: [
      { value: '', label: 'Does not repeat', selected: values.repeat === '' },
      ...Object.entries(FREQUENCY_LABELS).map(([value, label]) => ({
        value,
        label,
        selected: values.repeat === value,
      })),
    ],
  };
}
