import { EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'supertest';
import type { PageMeta } from '../../src/common/pagination/page.js';
import { Patient } from '../../src/patients/patient.entity.js';
import type { Session } from '../../src/sessions/session.entity.js';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from './factories.js';

/** What the therapist and patient suites arrange and read back, whichever the kind. */
export interface PersonRecord {
  id: number;
  name: string;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PersonSeed {
  name?: string;
  email?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A person as the API answers, whichever the kind: the shared members, and the kind's own. */
export type PersonBody = {
  id: number;
  name: string;
  email: string | null;
  created_at: string;
  updated_at: string;
} & Record<string, unknown>;

// supertest types every body as `any`; the suites name the shape they expect instead.
export const personOf = (response: Response): PersonBody => response.body as PersonBody;
export const personListOf = (response: Response): { data: PersonBody[]; meta: PageMeta } =>
  response.body as { data: PersonBody[]; meta: PageMeta };

/** One kind of person, for the suites that test the same behaviour of both (`describe.each(PERSON_KINDS)`). */
export interface PersonKind {
  noun: 'therapist' | 'patient';
  Noun: 'Therapist' | 'Patient';
  /** The pages' path, e.g. `/therapists`; the API's is `/api` + this. */
  path: '/therapists' | '/patients';
  /** The domain of the e-mail addresses the suites make up. */
  domain: string;
  create: (em: EntityManager, seed?: PersonSeed) => Promise<PersonRecord>;
  /** A person with the kind's own fields filled in from `nn` (the paginated list's people). */
  createFilled: (em: EntityManager, seed: PersonSeed, nn: string) => Promise<PersonRecord>;
  /** The kind's own members the API answers for `createFilled(…, '01')`. */
  filledBody: Record<string, unknown>;
  count: (em: EntityManager, where?: { email?: string }) => Promise<number>;
  find: (em: EntityManager, id: number) => Promise<PersonRecord>;
  /** The form's fields, in order; the first two are `name` and `email`. */
  formFields: string[];
  /** What the form posts for a name and an e-mail address, the kind's own fields left empty. */
  formBody: (name: string, email: string) => Record<string, string>;
  /** The other kind, whom this kind's sessions are with. */
  other: () => PersonKind;
  /** A session of `person` (this kind) with `other` (the other kind). */
  book: (em: EntityManager, person: PersonRecord, other: PersonRecord, startsAt: Date) => Promise<Session>;
}

const sessionOf = (
  em: EntityManager,
  therapistId: number,
  patientId: number,
  startsAt: Date,
): Promise<Session> =>
  createSession(em, {
    therapist: em.getReference(Therapist, therapistId),
    patient: em.getReference(Patient, patientId),
    startsAt,
  });

export const THERAPIST_KIND: PersonKind = {
  noun: 'therapist',
  Noun: 'Therapist',
  path: '/therapists',
  domain: 'clinic.example',
  create: (em, seed = {}) => createTherapist(em, seed),
  createFilled: (em, seed) => createTherapist(em, seed),
  filledBody: { specialty: null, time_zone: null, buffer_minutes: 10 },
  formFields: ['name', 'email', 'specialty'],
  formBody: (name, email) => ({ name, email, specialty: '' }),
  count: (em, where = {}) => em.count(Therapist, where),
  find: (em, id) => em.findOneOrFail(Therapist, id),
  other: () => PATIENT_KIND,
  book: (em, therapist, patient, startsAt) => sessionOf(em, therapist.id, patient.id, startsAt),
};

export const PATIENT_KIND: PersonKind = {
  noun: 'patient',
  Noun: 'Patient',
  path: '/patients',
  domain: 'example.com',
  create: (em, seed = {}) => createPatient(em, seed),
  createFilled: (em, seed, nn) =>
    createPatient(em, { ...seed, phone: `+44 20 7946 00${nn}`, dateOfBirth: `1990-01-${nn}` }),
  filledBody: { phone: '+44 20 7946 0001', date_of_birth: '1990-01-01' },
  formFields: ['name', 'email', 'phone', 'date_of_birth'],
  formBody: (name, email) => ({ name, email, phone: '', date_of_birth: '' }),
  count: (em, where = {}) => em.count(Patient, where),
  find: (em, id) => em.findOneOrFail(Patient, id),
  other: () => THERAPIST_KIND,
  book: (em, patient, therapist, startsAt) => sessionOf(em, therapist.id, patient.id, startsAt),
};

export const PERSON_KINDS: [string, PersonKind][] = [
  ['therapists', THERAPIST_KIND],
  ['patients', PATIENT_KIND],
];
