import { SessionStatus } from './session-status.js';

/** The status changes staff can make from each status, in the order the pages offer them. */
const TRANSITIONS: Record<SessionStatus, SessionStatus[]> = {
  [SessionStatus.Scheduled]: [SessionStatus.Completed],
  [SessionStatus.Completed]: [SessionStatus.Scheduled],
};

/** How an action that moves a session into a status is labelled on buttons. */
export const ACTION_LABELS: Record<SessionStatus, string> = {
  [SessionStatus.Scheduled]: 'Reopen',
  [SessionStatus.Completed]: 'Complete',
};

export function allowedTransitions(from: SessionStatus): SessionStatus[] {
  return TRANSITIONS[from];
}
