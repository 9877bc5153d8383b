import { faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import { Patient } from '../../patients/patient.entity.js';
import { SessionEvent, SessionEventType } from '../../sessions/session-event.entity.js';
import { changeStatusRecorded, snapshotOf } from '../../sessions/session-history.js';
import { SessionStatus } from '../../sessions/session-status.js';
import { Session } from '../../sessions/session.entity.js';
import { Therapist } from '../../therapists/therapist.entity.js';
import { WorkingHours } from '../../scheduling/working-hours.entity.js';

/** Fixed so every fresh database gets the same people (dates are relative to the day of seeding). */
const FAKER_SEED = 20251115;

export interface DemoDataOptions {
  therapists: number;
  patients: number;
  /** Weeks of weekly sessions before and after the current week. */
  weeksBefore: number;
  weeksAfter: number;
  timeZone: string;
  /** The day the calendar is centred on; today by default. */
  today?: Temporal.PlainDate;
}

export const DEFAULT_DEMO_DATA: Omit<DemoDataOptions, 'timeZone'> = {
  therapists: 8,
  patients: 64,
  weeksBefore: 6,
  weeksAfter: 6,
};

const SPECIALTIES = [
  'Cognitive behavioural therapy',
  'Family therapy',
  'Trauma-focused therapy',
  'Child and adolescent therapy',
  'Couples therapy',
  'Mindfulness-based therapy',
  'Addiction counselling',
  'Grief counselling',
];

const WORKDAYS = [1, 2, 3, 4, 5] as const;
const FIRST_HOUR = 9;
const LAST_HOUR = 16;
const CANCEL_REASONS = [
  'Patient unwell',
  'Patient travelling',
  'Therapist at a training day',
  'Family emergency',
];
const NOTES = [
  'Reviewed homework and set goals for next week.',
  'Worked on breathing techniques for anxiety.',
  'Discussed sleep routine and stressors at work.',
  'Explored family dynamics; patient engaged well.',
  'Practised a grounding exercise.',
];

export interface DemoDataSummary {
  therapists: number;
  patients: number;
  sessions: number;
}

/**
 * Demo practice: each patient sees one therapist weekly at a fixed weekday and hour (unique per therapist),
 * so no therapist or patient is ever double-booked; every therapist works Monday to Friday, 09:00–17:00. Past
 * sessions mostly took place (a few were cancelled or missed); future ones are scheduled.
 */
export async function seedDemoData(em: EntityManager, options: DemoDataOptions): Promise<DemoDataSummary> {
  faker.seed(FAKER_SEED);
  const today = options.today ?? Temporal.Now.plainDateISO(options.timeZone);
  const now = Date.now();

  const therapists = Array.from({ length: options.therapists }, (_, index) => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    return em.create(Therapist, {
      name: `${first} ${last}`,
      email: `${first}.${last}.${index + 1}@clinic.example`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      specialty: SPECIALTIES[index % SPECIALTIES.length] ?? null,
    });
  });

  for (const therapist of therapists) {
    for (const weekday of WORKDAYS) {
      em.create(WorkingHours, {
        therapist,
        weekday,
        startMinute: FIRST_HOUR * 60,
        endMinute: (LAST_HOUR + 1) * 60,
      });
    }
  }

  const weeklySlots = therapists.map(() =>
    faker.helpers.shuffle(WORKDAYS.flatMap((day) => hoursOfDay().map((hour) => ({ day, hour })))),
  );

  const startOfThisWeek = today.subtract({ days: today.dayOfWeek - 1 });
  let sessions = 0;
  for (let index = 0; index < options.patients; index++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const patient = em.create(Patient, {
      name: `${first} ${last}`,
      email: faker.datatype.boolean(0.85)
        ? `${first}.${last}.${index + 1}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '')
        : null,
      phone: faker.datatype.boolean(0.9) ? faker.phone.number({ style: 'international' }) : null,
      dateOfBirth: faker.date.birthdate({ mode: 'age', min: 18, max: 80 }).toISOString().slice(0, 10),
    });
    const therapistIndex = index % therapists.length;
    const slot = weeklySlots[therapistIndex]?.pop();
    const therapist = therapists[therapistIndex];
    if (!slot || !therapist) throw new Error('Not enough weekly slots for the demo patients.');

    for (let week = -options.weeksBefore; week <= options.weeksAfter; week++) {
      const day = startOfThisWeek.add({ days: week * 7 + slot.day - 1 });
      const startsAt = new Date(
        day.toZonedDateTime({ timeZone: options.timeZone, plainTime: { hour: slot.hour } }).epochMilliseconds,
      );
      const past = startsAt.getTime() < now;
      const session = em.create(Session, { therapist, patient, startsAt, durationMinutes: 50 });
      recordHistory(em, session, past ? pastStatus() : SessionStatus.Scheduled);
      sessions++;
    }
  }
  await em.flush();
  return { therapists: therapists.length, patients: options.patients, sessions };
}

/**
 * Makes `session` (as booked) what it became, with the history a session booked and then handled through the app
 * has: booked two weeks before, then its status change.
 */
function recordHistory(em: EntityManager, session: Session, status: SessionStatus): void {
  const events = em.getRepository(SessionEvent);
  const bookedAt = new Date(session.startsAt.getTime() - 14 * 86_400_000);
  events.record(session, SessionEventType.Created, { after: snapshotOf(session), occurredAt: bookedAt });
  if (status === SessionStatus.Scheduled) return;
  changeStatusRecorded(events, session, {
    status,
    reason: status === SessionStatus.Cancelled ? faker.helpers.arrayElement(CANCEL_REASONS) : null,
    // A cancellation comes before the session; the others are recorded just after it ends.
    occurredAt: new Date(
      session.startsAt.getTime() + (status === SessionStatus.Cancelled ? -3 : 1) * 3_600_000,
    ),
  });
  if (status === SessionStatus.Completed && faker.datatype.boolean(0.4)) {
    session.notes = faker.helpers.arrayElement(NOTES);
  }
}

/** Most past sessions took place; a few were cancelled in time or missed. */
function pastStatus(): SessionStatus {
  const roll = faker.number.float({ min: 0, max: 1 });
  if (roll < 0.06) return SessionStatus.Cancelled;
  if (roll < 0.1) return SessionStatus.NoShow;
  return SessionStatus.Completed;
}

function hoursOfDay(): number[] {
  return Array.from({ length: LAST_HOUR - FIRST_HOUR + 1 }, (_, offset) => FIRST_HOUR + offset);
}

/** Seeds only a database without any therapist, so restarts and real data are never touched. */
export async function seedDemoDataIfEmpty(
  em: EntityManager,
  options: DemoDataOptions,
): Promise<DemoDataSummary | undefined> {
  if ((await em.getRepository(Therapist).count()) > 0) return undefined;
  return em.transactional((transactionEm) => seedDemoData(transactionEm, options));
}
