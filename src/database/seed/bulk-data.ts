import { faker } from '@faker-js/faker';
import { Temporal } from 'temporal-polyfill';
import { SessionStatus } from '../../sessions/session-status.js';

/** What `db:seed -- --therapists N --patients N --sessions N` asks for. */
export interface BulkSeedOptions {
  therapists: number;
  patients: number;
  sessions: number;
  timeZone: string;
  /** Parallel COPY streams for the sessions. */
  streams: number;
  /** The day the data is centred on; today by default. */
  today?: Temporal.PlainDate;
}

/** A practice's week: Monday to Friday, eight one-hour slots from 09:00 (50-minute sessions, 10-minute buffer). */
const WORKDAYS = 5;
const FIRST_HOUR = 9;
const HOURS_PER_DAY = 8;
export const SLOTS_PER_WEEK = WORKDAYS * HOURS_PER_DAY;
export const WORKING_HOURS = { weekdays: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 };
/** Booked slots per therapist and week, as the practice network has it (25 of 40). */
const SESSIONS_PER_WEEK = 25;
const WEEKS_AHEAD = 8;
const SESSION_MINUTES = 50;
const DAY_MS = 86_400_000;

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
const SPECIALTIES = [
  'Cognitive behavioural therapy',
  'Family therapy',
  'Trauma-focused therapy',
  'Child and adolescent therapy',
  'Couples therapy',
  'Mindfulness-based therapy',
];

/** PostgreSQL COPY text format: tab-separated, `\N` for null (the values here hold no tab, newline or backslash). */
const field = (value: string | number | null): string => (value === null ? '\\N' : String(value));
export const copyLine = (values: (string | number | null)[]): string => values.map(field).join('\t') + '\n';

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9.]/g, '');

export function therapistRows(count: number): string[] {
  faker.seed(20261204);
  return Array.from({ length: count }, (_, index) => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const email = `${slug(first)}.${slug(last)}.${index + 1}@clinic.example`;
    return copyLine([index + 1, `${first} ${last}`, email, SPECIALTIES[index % SPECIALTIES.length] ?? null]);
  });
}

export function patientRows(count: number): string[] {
  faker.seed(20261205);
  return Array.from({ length: count }, (_, index) => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const email = faker.datatype.boolean(0.85)
      ? `${slug(first)}.${slug(last)}.${index + 1}@example.com`
      : null;
    const phone = faker.datatype.boolean(0.9) ? faker.phone.number({ style: 'international' }) : null;
    const born = faker.date.birthdate({ mode: 'age', min: 18, max: 80 }).toISOString().slice(0, 10);
    return copyLine([index + 1, `${first} ${last}`, email, phone, born]);
  });
}

/** A small, fast, seeded generator (mulberry32): a million rows need no cryptographic randomness. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SessionPlan {
  weeks: number;
  /** Start (epoch ms) of each week's slots, in the clinic's time zone: `[week][slot]`. */
  slotStarts: number[][];
  now: number;
}

/** Enough weeks for every therapist to see 25 patients a week, ending WEEKS_AHEAD weeks from now. */
export function planSessions(options: BulkSeedOptions): SessionPlan {
  const weeks = Math.max(1, Math.ceil(options.sessions / (options.therapists * SESSIONS_PER_WEEK)));
  const ahead = Math.min(WEEKS_AHEAD, Math.floor(weeks / 2));
  const today = options.today ?? Temporal.Now.plainDateISO(options.timeZone);
  const firstMonday = today.subtract({ days: today.dayOfWeek - 1 }).subtract({ weeks: weeks - ahead });
  const slotStarts = Array.from({ length: weeks }, (_, week) =>
    Array.from({ length: SLOTS_PER_WEEK }, (_, slot) => {
      const day = firstMonday.add({ days: week * 7 + Math.floor(slot / HOURS_PER_DAY) });
      const hour = FIRST_HOUR + (slot % HOURS_PER_DAY);
      return day.toZonedDateTime({ timeZone: options.timeZone, plainTime: { hour } }).epochMilliseconds;
    }),
  );
  return { weeks, slotStarts, now: Date.now() };
}

/** Sessions a therapist (0-based) gets: the total shared out as evenly as it goes. */
export const sessionsOf = (therapist: number, options: BulkSeedOptions): number =>
  Math.floor(options.sessions / options.therapists) +
  (therapist < options.sessions % options.therapists ? 1 : 0);

function status(past: boolean, roll: number): SessionStatus {
  if (!past) return roll < 0.04 ? SessionStatus.Cancelled : SessionStatus.Scheduled;
  if (roll < 0.05) return SessionStatus.Cancelled;
  if (roll < 0.07) return SessionStatus.LateCancelled;
  if (roll < 0.12) return SessionStatus.NoShow;
  return SessionStatus.Completed;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * One therapist's sessions as COPY lines. Patient p belongs to therapist p mod T, and a therapist's sessions sit
 * in distinct hourly slots within working hours (50 minutes plus the 10-minute buffer), so neither a therapist nor
 * a patient is ever double-booked. A patient keeps a weekly slot for twelve weeks, then the slots rotate.
 */
export function* therapistSessionLines(
  therapist: number,
  options: BulkSeedOptions,
  plan: SessionPlan,
): Generator<string> {
  const next = random(therapist * 7919 + 17);
  const ownPatients = Math.floor((options.patients - 1 - therapist) / options.therapists) + 1;
  const total = sessionsOf(therapist, options);
  const slots = Array.from({ length: SLOTS_PER_WEEK }, (_, slot) => slot);
  for (let week = 0; week < plan.weeks; week++) {
    const count = Math.floor(((week + 1) * total) / plan.weeks) - Math.floor((week * total) / plan.weeks);
    // A partial Fisher–Yates shuffle picks `count` distinct slots of the week.
    for (let index = 0; index < count; index++) {
      const pick = index + Math.floor(next() * (SLOTS_PER_WEEK - index));
      const slot = slots[pick] ?? 0;
      slots[pick] = slots[index] ?? 0;
      slots[index] = slot;
      const startsAt = plan.slotStarts[week]?.[slot] ?? 0;
      const patientOrdinal = (slot * 7 + Math.floor(week / 12) * 13) % ownPatients;
      const patient = therapist + 1 + patientOrdinal * options.therapists;
      const roll = next();
      const state = status(startsAt < plan.now, roll);
      const cancelled = state === SessionStatus.Cancelled || state === SessionStatus.LateCancelled;
      const notes = state === SessionStatus.Completed && roll > 0.7 ? NOTES[slot % NOTES.length] : null;
      const bookedAt = Math.min(startsAt - 14 * DAY_MS, plan.now);
      const changedAt =
        state === SessionStatus.Scheduled ? bookedAt : Math.min(startsAt + DAY_MS / 24, plan.now);
      yield copyLine([
        therapist + 1,
        patient,
        iso(startsAt),
        SESSION_MINUTES,
        state,
        cancelled ? (CANCEL_REASONS[slot % CANCEL_REASONS.length] ?? null) : null,
        notes ?? null,
        iso(bookedAt),
        iso(changedAt),
      ]);
    }
  }
}

export const SESSION_COPY_COLUMNS =
  '"therapist_id", "patient_id", "starts_at", "duration_minutes", "status", "status_reason", "notes", "created_at", "updated_at"';
