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

/** e.g. `8 sessions booked, Mondays 10:00 from 7 Dec` (every other Monday for a fortnightly series). */
export function seriesBooked(sessions: Timed[], frequency: SeriesFrequency, clock: ClinicClock): string {
  const first = sessions[0];
  if (!first) return 'No sessions booked';
  const weekday = clock.weekday(first.startsAt);
  const days = frequency === SeriesFrequency.Fortnightly ? `every other ${weekday}` : `${weekday}s`;
  const count = sessions.length === 1 ? '1 session' : `${sessions.length} sessions`;
  return `${count} booked, ${days} ${clock.time(first.startsAt)} from ${clock.shortDate(first.startsAt)}`;
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
