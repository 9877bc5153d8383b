import type { PersonColumn } from '../common/people/person-list.view.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';
import type { Patient } from './patient.entity.js';

/** What the pages show of a patient; every string is escaped by the templates. */
export interface PatientView {
  id: number;
  url: string;
  editUrl: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** e.g. `12 April 1987`. */
  dateOfBirth: string | null;
  /** The day the patient was added, in the clinic's time zone. */
  created: string;
}

// A date of birth is a calendar date, not an instant: formatted in UTC so no time zone can shift it by a day.
const BIRTH_DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

export const formatCalendarDate = (date: string): string =>
  BIRTH_DATE_FORMAT.format(new Date(`${date}T00:00Z`));

export const toPatientView = (patient: Patient, clock: ClinicClock): PatientView => ({
  id: patient.id,
  url: `/patients/${patient.id}`,
  editUrl: `/patients/${patient.id}/edit`,
  name: patient.name,
  email: patient.email,
  phone: patient.phone,
  dateOfBirth: patient.dateOfBirth === null ? null : formatCalendarDate(patient.dateOfBirth),
  created: clock.date(patient.createdAt),
});

export const PATIENT_COLUMNS: PersonColumn[] = [
  { label: 'Name', sort: 'name' },
  { label: 'E-mail', sort: 'email' },
  { label: 'Phone' },
  { label: 'Added', sort: 'created_at' },
];

/** The patient form exactly as the user filled it in; every field is sent, so an empty one clears it. */
export type PatientFormValues = {
  name: string;
  email: string;
  phone: string;
  date_of_birth: string;
};

export const patientFormValues = (body: Record<string, unknown>): PatientFormValues => ({
  name: formText(body.name),
  email: formText(body.email),
  phone: formText(body.phone),
  date_of_birth: formText(body.date_of_birth),
});

export const patientFormValuesOf = (patient: Patient): PatientFormValues => ({
  name: patient.name,
  email: patient.email ?? '',
  phone: patient.phone ?? '',
  date_of_birth: patient.dateOfBirth ?? '',
});
