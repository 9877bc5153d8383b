import { SessionEventType, type SessionSnapshot } from './session-event.entity.js';
import type { SessionEventRepository } from './session-event.repository.js';
import { requiresReason } from './session-lifecycle.js';
import type { SessionStatus } from './session-status.js';
import type { Session } from './session.entity.js';

/** What a session's history records: the snapshots of each kind of change, and a status change with its entry. */

/** What a history entry records of a session when it is created. */
export const snapshotOf = (session: Session): SessionSnapshot => ({
  date: session.startsAt.toISOString(),
  duration_minutes: session.durationMinutes,
  status: session.status,
  notes: session.notes,
});

/** What a status change records before and after. */
export const statusOf = (session: Session): SessionSnapshot => ({
  status: session.status,
  status_reason: session.statusReason,
});

/** What a move records before and after. */
export const timeOf = (session: Session): SessionSnapshot => ({
  date: session.startsAt.toISOString(),
  duration_minutes: session.durationMinutes,
});

/**
 * Gives the session its new status (with the reason only a cancellation keeps) and appends the change to its
 * history; whether the change is allowed is the caller's to check (the policy, or the demo data's own story).
 */
export function changeStatusRecorded(
  events: SessionEventRepository,
  session: Session,
  change: { status: SessionStatus; reason?: string | null; occurredAt?: Date },
): void {
  const before = statusOf(session);
  session.status = change.status;
  session.statusReason = requiresReason(change.status) ? (change.reason ?? null) : null;
  events.record(session, SessionEventType.StatusChanged, {
    before,
    after: statusOf(session),
    reason: change.reason,
    occurredAt: change.occurredAt,
  });
}
