import type { ClinicClock } from '../common/time/clinic-time.js';
import type { StrandedSession } from './unavailability.service.js';

/** A session a schedule change left outside, as the pages list it, with the way to move it. */
export interface StrandedSessionView {
  /** e.g. `Mon 2 Aug, 10:00–10:50` in the clinic's zone. */
  when: string;
  patient: string;
  therapist: string;
  reason: string;
  /** The session's page, whose form moves it. */
  url: string;
}

export interface StrandedListView {
  heading: string;
  sessions: StrandedSessionView[];
}

/** e.g. `2 Scheduled sessions are outside the therapist's hours, time off or a closure`. */
export function strandedCount(count: number): string {
  const sessions = count === 1 ? '1 Scheduled session is' : `${count} Scheduled sessions are`;
  return `${sessions} outside the therapist's hours, time off or a closure`;
}

/** The flash after a change that stranded sessions: what to do next, on the page the redirect leads to. */
export const strandedFlash = (count: number): string =>
  count === 0 ? '' : `. ${strandedCount(count)}: reschedule ${count === 1 ? 'it' : 'them'} below.`;

export function toStrandedListView(stranded: StrandedSession[], clock: ClinicClock): StrandedListView {
  return {
    heading: strandedCount(stranded.length),
    sessions: stranded.map((session) => ({
      when: `${clock.dayMonth(session.startsAt)}, ${clock.time(session.startsAt)}–${clock.time(session.endsAt)}`,
      patient: session.patientName,
      therapist: session.therapistName,
      reason: session.reason,
      url: `/sessions/${session.id}`,
    })),
  };
}
