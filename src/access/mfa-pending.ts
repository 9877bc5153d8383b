import type { Session, SessionData } from 'express-session';
import { saveSession } from './session-data.js';

/** How long the code step waits after the password step: long enough to open the app, short for a thief. */
export const MFA_PENDING_MS = 5 * 60_000;

type WebSession = Session & Partial<SessionData>;

/**
 * The password was right: the session now waits for this user's second factor (and is not signed in). Saved
 * before the redirect is answered: express-session would save it while the headers are already out, and the
 * browser's request for the code step could overtake the write.
 */
export async function awaitSecondFactor(
  session: WebSession,
  userId: number,
  next: string,
  now: Date,
): Promise<void> {
  session.mfaPending = { userId, since: now.getTime(), next };
  await saveSession(session);
}

/** Whose code the session waits for, while that wait is fresh. */
export function pendingSecondFactor(
  session: WebSession,
  now: Date,
): { userId: number; next: string } | undefined {
  const pending = session.mfaPending;
  if (!pending || now.getTime() - pending.since > MFA_PENDING_MS) return undefined;
  return { userId: pending.userId, next: pending.next };
}

export function abandonSecondFactor(session: WebSession): void {
  delete session.mfaPending;
}
