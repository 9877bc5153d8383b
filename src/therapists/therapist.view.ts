import type { PersonColumn } from '../common/people/person-list.view.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';
import type { Therapist } from './therapist.entity.js';

/** What the pages show of a therapist; every string is escaped by the templates. */
export interface TherapistView {
  id: number;
  url: string;
  editUrl: string;
  name: string;
  email: string;
  specialty: string | null;
  /** The therapist's own time zone, or null for the clinic's. */
  timeZone: string | null;
  bufferMinutes: number;
  /** The day the therapist was added, in the clinic's time zone. */
  created: string;
}

export const toTherapistView = (therapist: Therapist, clock: ClinicClock): TherapistView => ({
  id: therapist.id,
  url: `/therapists/${therapist.id}`,
  editUrl: `/therapists/${therapist.id}/edit`,
  name: therapist.name,
  email: therapist.email,
  specialty: therapist.specialty,
  timeZone: therapist.timeZone,
  bufferMinutes: therapist.bufferMinutes,
  created: clock.date(therapist.createdAt),
});

export const THERAPIST_COLUMNS: PersonColumn[] = [
  { label: 'Name', sort: 'name' },
  { label: 'E-mail', sort: 'email' },
  { label: 'Specialty' },
  { label: 'Added', sort: 'created_at' },
];

/** The therapist form exactly as the user filled it in; every field is sent, so an empty one clears it. */
export type TherapistFormValues = {
  name: string;
  email: string;
  specialty: string;
  time_zone: string;
  buffer_minutes: string;
};

export const therapistFormValues = (body: Record<string, unknown>): TherapistFormValues => ({
  name: formText(body.name),
  email: formText(body.email),
  specialty: formText(body.specialty),
  time_zone: formText(body.time_zone),
  buffer_minutes: formText(body.buffer_minutes),
});

export const therapistFormValuesOf = (therapist: Therapist): TherapistFormValues => ({
  name: therapist.name,
  email: therapist.email,
  specialty: therapist.specialty ?? '',
  time_zone: therapist.timeZone ?? '',
  buffer_minutes: String(therapist.bufferMinutes),
});

/** The form as DTO input: an empty buffer field means "not given" (the default, or unchanged), not an error. */
export function therapistInput(values: TherapistFormValues): Record<string, string> {
  const { buffer_minutes, ...rest } = values;
  return buffer_minutes === '' ? rest : values;
}
