import type { ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';
import { PeoplePages, type PersonTypes } from '../people/people.pages.js';
import type { PersonFormView } from '../people/person-form.view.js';
import { directoryView, type PersonColumn } from '../people/person-list.view.js';
import { personUrls, toPersonPageView, type PersonPageView } from '../people/person-page.view.js';
import { CreatePatientDto, UpdatePatientDto } from './dto/patient.dto.js';
import type { Patient } from './patient.entity.js';
import type { PatientsService } from './patients.service.js';
import type { AuditRowView } from '../audit/audit.view.js';

export const PATIENTS = directoryView('/patients', 'Patients', 'patient');
export const PATIENT_NAV = { patients: true };

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
  ...personUrls(PATIENTS, patient.id),
  name: patient.name,
  email: patient.email,
  phone: patient.phone,
  dateOfBirth: patient.dateOfBirth === null ? null : formatCalendarDate(patient.dateOfBirth),
  created: clock.date(patient.createdAt),
});

export const PATIENT_COLUMNS: PersonColumn<PatientView>[] = [
  { label: 'Name', sort: 'name', cell: (patient) => patient.name, link: true },
  { label: 'E-mail', sort: 'email', cell: (patient) => patient.email },
  { label: 'Phone', cell: (patient) => patient.phone },
  { label: 'Added', sort: 'created_at', cell: (patient) => patient.created },
];

/** The patient form exactly as the user filled it in; every field is sent, so an empty one clears it. */
export type PatientFormValues = {
  name: string;
  email: string;
  phone: string;
  date_of_birth: string;
  /** `true` once the desk has confirmed a possible duplicate is another person. */
  confirm_duplicate: string;
};

/** The date field's upper bound: nobody is born after today. */
export interface BirthDateBound {
  maxBirthDate: string;
}

export type PatientFormView = PersonFormView<PatientFormValues, BirthDateBound>;
export interface PatientPageView extends PersonPageView<PatientView> {
  /** For admins: who accessed or changed this record lately (the accounting a patient may ask for). */
  accessLog?: { rows: AuditRowView[]; allUrl: string };
}

export const toPatientPageView = (patient: Patient, clock: ClinicClock): PatientPageView =>
  toPersonPageView(PATIENTS, PATIENT_NAV, toPatientView(patient, clock), 'patients/_details');

export const patientFormValues = (body: Record<string, unknown>): PatientFormValues => ({
  name: formText(body.name),
  email: formText(body.email),
  phone: formText(body.phone),
  date_of_birth: formText(body.date_of_birth),
  confirm_duplicate: formText(body.confirm_duplicate),
});

export const patientFormValuesOf = (patient: Patient): PatientFormValues => ({
  name: patient.name,
  email: patient.email ?? '',
  phone: patient.phone ?? '',
  date_of_birth: patient.dateOfBirth ?? '',
  confirm_duplicate: '',
});

/** The types of the patient pages. */
export interface PatientTypes extends PersonTypes {
  entity: Patient;
  view: PatientView;
  values: PatientFormValues;
  create: CreatePatientDto;
  update: UpdatePatientDto;
  extras: BirthDateBound;
}

export type PatientPages = PeoplePages<PatientTypes>;

export const patientPages = (service: PatientsService, clock: ClinicClock): PatientPages =>
  new PeoplePages({
    directory: PATIENTS,
    nav: PATIENT_NAV,
    service,
    columns: PATIENT_COLUMNS,
    toView: (patient) => toPatientView(patient, clock),
    formTemplate: 'patients/_form',
    form: {
      create: CreatePatientDto,
      update: UpdatePatientDto,
      empty: { name: '', email: '', phone: '', date_of_birth: '', confirm_duplicate: '' },
      read: patientFormValues,
      of: patientFormValuesOf,
      input: ({ confirm_duplicate: confirmed, ...values }) =>
        confirmed === 'true' ? { ...values, confirm_duplicate: true } : values,
      extras: () => ({ maxBirthDate: clock.today().toString() }),
    },
  });
