import type { ClinicClock } from '../common/time/clinic-time.js';
import { SeriesFrequency } from './session-series.entity.js';
import type { SessionStatus } from './session-status.js';

/** What a confirmation needs to know of a session. */
interface Timed {
  startsAt: Date;
  endsAt: Date;
}

/** e.g. `Thu 10 Dec, 10:00–10:50` */
const when = (session: Timed, clock: ClinicClock): string =>
  `${clock.dayMonth(session.startsAt)}, ${clock.time(session.startsAt)}–${clock.time(session.endsAt)}`;

/** e.g. `Session booked: Thu 10 Dec, 10:00–10:50` */
export const sessionBooked = (session: Timed, clock: ClinicClock): string =>
  `Session booked: ${when(session, clock)}`;

/**
 * e.g. `8 sessions booked, Mondays 10:00 from 7 Dec` (every other Monday for a fortnightly series), and the dates
 * a series skipped: `, 2 skipped: 25 Dec (The clinic is closed: Christmas Day), …`.
 */
export function seriesBooked(
  sessions: Timed[],
  frequency: SeriesFrequency,
  clock: ClinicClock,
  skipped: { date: string; reason: string }[] = [],
): string {
  const first = sessions[0];
  if (!first) return 'No sessions booked';
  const weekday = clock.weekday(first.startsAt);
  const days = frequency === SeriesFrequency.Fortnightly ? `every other ${weekday}` : `${weekday}s`;
  const count = sessions.length === 1 ? '1 session' : `${sessions.length} sessions`;
  const booked = `${count} booked, ${days} ${clock.time(first.startsAt)} from ${clock.shortDate(first.startsAt)}`;
  if (skipped.length === 0) return booked;
  const dates = skipped.map((skip) => `${clock.dayMonth(new Date(skip.date))} (${skip.reason})`).join(', ');
  return `${booked}, ${skipped.length} skipped: ${dates}`;
}

export const sessionUpdated = (session: Timed, clock: ClinicClock): string =>
  `Session saved: ${when(session, clock)}`;

/** One session cancelled, or with the rest of its series. */
export const sessionsCancelled = (sessions: Timed[], clock: ClinicClock): string => {
  const first = sessions[0];
  if (!first) return 'Nothing cancelled';
  return sessions.length === 1
    ? `Session cancelled: ${when(first, clock)}`
    : `${sessions.length} sessions cancelled, from ${when(first, clock)}`;
};

export const statusChanged = (session: Timed & { status: SessionStatus }, clock: ClinicClock): string =>
  `${when(session, clock)} is now ${session.status}`;
