import { SessionStatus } from './session-status.js';

/** What the transition rules need to know about a session. */
export interface LifecycleFacts {
  status: SessionStatus;
  startsAt: Date;
}

export interface LifecyclePolicy {
  /** Cancelling within this many hours of the start is a late cancellation. */
  lateCancelHours: number;
}

/**
 * The status changes allowed right now, in the order the pages offer them. The one transition table:
 * - Scheduled → Completed or No-Show, once the session has started;
 * - Scheduled → Cancelled more than `lateCancelHours` before the start, Late-Cancelled within them (until the
 *   start: a session that has started took place or was missed);
 * - any other status → Scheduled (an explicit reopen).
 * Setting the status a session already has is not a transition.
 */
export function allowedTransitions(
  session: LifecycleFacts,
  now: Date,
  policy: LifecyclePolicy,
): SessionStatus[] {
  if (session.status !== SessionStatus.Scheduled) return [SessionStatus.Scheduled];
  if (now.getTime() >= session.startsAt.getTime()) return [SessionStatus.Completed, SessionStatus.NoShow];
  const late = now.getTime() >= session.startsAt.getTime() - policy.lateCancelHours * 3_600_000;
  return [late ? SessionStatus.LateCancelled : SessionStatus.Cancelled];
}

/** A cancellation must say why. */
export const requiresReason = (status: SessionStatus): boolean =>
  status === SessionStatus.Cancelled || status === SessionStatus.LateCancelled;

/** Only a session that is still going to happen can be moved. */
export const canReschedule = (status: SessionStatus): boolean => status === SessionStatus.Scheduled;

/** How an action that moves a session into a status is labelled on buttons. */
export const ACTION_LABELS: Record<SessionStatus, string> = {
  [SessionStatus.Scheduled]: 'Reopen',
  [SessionStatus.Completed]: 'Complete',
  [SessionStatus.NoShow]: 'No-show',
  [SessionStatus.Cancelled]: 'Cancel',
  [SessionStatus.LateCancelled]: 'Late cancel',
};
