import type { ClinicClock } from '../common/time/clinic-time.js';
import { SessionEventType, type SessionEvent, type SessionSnapshot } from './session-event.entity.js';

export interface SessionHistoryEntryView {
  when: string;
  iso: string;
  title: string;
  detail?: string;
  reason: string | null;
  /** Who made the change, when a signed-in user or token did. */
  by: string | null;
}

const text = (snapshot: SessionSnapshot | null, key: string): string => {
  const value = snapshot?.[key];
  return value === null || value === undefined ? '' : String(value);
};

/** The history as a timeline, oldest first, with times shown in the clinic's zone. */
export function toSessionHistoryView(events: SessionEvent[], clock: ClinicClock): SessionHistoryEntryView[] {
  const local = (iso: string): string => (iso ? clock.dateTime(new Date(iso)) : '');
  return events.map((event) => {
    const base = {
      when: clock.dateTime(event.occurredAt),
      iso: event.occurredAt.toISOString(),
      reason: event.reason,
      by: event.actor?.getEntity().name ?? null,
    };
    switch (event.type) {
      case SessionEventType.Created:
        return {
          ...base,
          title: 'Booked',
          detail: `${local(text(event.after, 'date'))}, ${text(event.after, 'duration_minutes')} min`,
        };
      case SessionEventType.StatusChanged:
        return { ...base, title: `Status: ${text(event.before, 'status')} → ${text(event.after, 'status')}` };
      case SessionEventType.Rescheduled:
        return {
          ...base,
          title: 'Rescheduled',
          detail:
            `from ${local(text(event.before, 'date'))} (${text(event.before, 'duration_minutes')} min) ` +
            `to ${local(text(event.after, 'date'))} (${text(event.after, 'duration_minutes')} min)`,
        };
      case SessionEventType.NotesChanged:
        return { ...base, title: 'Notes edited' };
      case SessionEventType.CheckedIn:
        return {
          ...base,
          title: 'Checked in',
          detail: `arrived ${local(text(event.after, 'checked_in_at'))}`,
        };
      case SessionEventType.CheckInUndone:
        return { ...base, title: 'Check-in undone' };
    }
  });
}
