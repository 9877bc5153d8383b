import type { ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';
import { PeoplePages, type PersonTypes } from '../people/people.pages.js';
import type { PersonFormView } from '../people/person-form.view.js';
import { directoryView, type PersonColumn } from '../people/person-list.view.js';
import { personUrls, toPersonPageView, type PersonPageView } from '../people/person-page.view.js';
import { CreateTherapistDto, UpdateTherapistDto } from './dto/therapist.dto.js';
import type { Therapist } from './therapist.entity.js';
import type { TherapistsService } from './therapists.service.js';

export const THERAPISTS = directoryView('/therapists', 'Therapists', 'therapist');
export const THERAPIST_NAV = { therapists: true };

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
  ...personUrls(THERAPISTS, therapist.id),
  name: therapist.name,
  email: therapist.email,
  specialty: therapist.specialty,
  timeZone: therapist.timeZone,
  bufferMinutes: therapist.bufferMinutes,
  created: clock.date(therapist.createdAt),
});

export const THERAPIST_COLUMNS: PersonColumn<TherapistView>[] = [
  { label: 'Name', sort: 'name', cell: (therapist) => therapist.name, link: true },
  { label: 'E-mail', sort: 'email', cell: (therapist) => therapist.email },
  { label: 'Specialty', cell: (therapist) => therapist.specialty },
  { label: 'Added', sort: 'created_at', cell: (therapist) => therapist.created },
];

/** The therapist form exactly as the user filled it in; every field is sent, so an empty one clears it. */
export type TherapistFormValues = {
  name: string;
  email: string;
  specialty: string;
  time_zone: string;
  buffer_minutes: string;
};

/** The time-zone field's suggestions, and the zone an empty field means. */
export interface TimeZoneChoices {
  clinicTimeZone: string;
  timeZones: string[];
}

export type TherapistFormView = PersonFormView<TherapistFormValues, TimeZoneChoices>;

/**
 * The therapist's page: details, and where their working hours and sessions load from. The hours are the
 * scheduling pages' to show (people never depend on scheduling), like the sessions, in a slot of their own.
 */
export interface TherapistPageView extends PersonPageView<TherapistView> {
  /** The zone of the hours of a therapist without one of their own. */
  clinicTimeZone: string;
  workingHours: { url: string; label: string };
  timeOff: { url: string; label: string };
}

export const toTherapistPageView = (therapist: Therapist, clock: ClinicClock): TherapistPageView => {
  const view = toTherapistView(therapist, clock);
  return {
    ...toPersonPageView(THERAPISTS, THERAPIST_NAV, view, 'therapists/_details'),
    clinicTimeZone: clock.timeZone,
    workingHours: { url: `${view.url}/working-hours`, label: 'Working hours' },
    timeOff: { url: `${view.url}/time-off`, label: 'Time off' },
  };
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

/** The types of the therapist pages. */
export interface TherapistTypes extends PersonTypes {
  entity: Therapist;
  view: TherapistView;
  values: TherapistFormValues;
  create: CreateTherapistDto;
  update: UpdateTherapistDto;
  extras: TimeZoneChoices;
}

export type TherapistPages = PeoplePages<TherapistTypes>;

export const therapistPages = (service: TherapistsService, clock: ClinicClock): TherapistPages =>
  new PeoplePages({
    directory: THERAPISTS,
    nav: THERAPIST_NAV,
    service,
    columns: THERAPIST_COLUMNS,
    toView: (therapist) => toTherapistView(therapist, clock),
    formTemplate: 'therapists/_form',
    form: {
      create: CreateTherapistDto,
      update: UpdateTherapistDto,
      empty: { name: '', email: '', specialty: '', time_zone: '', buffer_minutes: '10' },
      read: therapistFormValues,
      of: therapistFormValuesOf,
      input: therapistInput,
      extras: () => ({ clinicTimeZone: clock.timeZone, timeZones: Intl.supportedValuesOf('timeZone') }),
    },
  });
