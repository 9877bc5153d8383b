import type { EntityManager } from '@mikro-orm/postgresql';
import { Patient } from '../../src/patients/patient.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { Session } from '../../src/sessions/session.entity.js';
import { Therapist } from '../../src/therapists/therapist.entity.js';

let sequence = 0;
const next = (): number => ++sequence;

export async function createTherapist(em: EntityManager, data: Partial<Therapist> = {}): Promise<Therapist> {
  const n = next();
  const therapist = em.create(Therapist, {
    name: `Therapist ${n}`,
    email: `therapist${n}@clinic.example`,
    ...data,
  });
  await em.flush();
  return therapist;
}

export async function createPatient(em: EntityManager, data: Partial<Patient> = {}): Promise<Patient> {
  const n = next();
  const patient = em.create(Patient, { name: `Patient ${n}`, email: `patient${n}@example.com`, ...data });
  await em.flush();
  return patient;
}

export async function createSession(
  em: EntityManager,
  data: Partial<Omit<Session, 'therapist' | 'patient'>> & { therapist?: Therapist; patient?: Patient } = {},
): Promise<Session> {
  const therapist = data.therapist ?? (await createTherapist(em));
  const patient = data.patient ?? (await createPatient(em));
  const session = em.create(Session, {
    // Two hours apart by default, so sessions made without a time never overlap for the same person.
    startsAt: new Date(Date.UTC(2025, 0, 1) + next() * 2 * 3_600_000),
    status: SessionStatus.Scheduled,
    ...data,
    therapist,
    patient,
  });
  await em.flush();
  return session;
}
