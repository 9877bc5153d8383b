import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** Confirmations of writes, shown once by the next page rendered (`role="status"` in the layout). */
    flash: string[];
  }
}

type FlashSession = Session & Partial<SessionData>;

/** The browser's own signed-in session; a request with an API token has none worth writing to. */
const signedInSession = (request: Request): FlashSession | undefined => {
  const session = (request as { session?: FlashSession }).session;
  return session?.userId === undefined ? undefined : session;
};

/**
 * Confirms a write to the user: the message is kept in the session and shown once, in the layout's live region,
 * by the next page this browser renders (after a 303 or an `HX-Redirect`), or by the htmx fragment this request
 * answers (swapped out of band into that region).
 */
export function flash(request: Request, message: string): void {
  const session = signedInSession(request);
  if (!session) return;
  session.flash = [...(session.flash ?? []), message];
}

/** The messages waiting to be shown, removed from the session (they are shown once). */
export function takeFlash(request: Request): string[] {
  const session = signedInSession(request);
  const messages = session?.flash ?? [];
  if (session && messages.length > 0) delete session.flash;
  return messages;
}

/** Whether this request left a message to show (so the session must be stored before a redirect answers). */
export const hasFlash = (request: Request): boolean => (signedInSession(request)?.flash?.length ?? 0) > 0;

/**
 * Writes the session to the store now: a redirect could otherwise reach the browser, and its next request the
 * store, before express-session saves it as the response ends.
 */
export function saveFlash(request: Request): Promise<void> {
  const session = signedInSession(request);
  if (!session) return Promise.resolve();
  return new Promise((resolve, reject) => {
    session.save((error: unknown) => {
      if (error) reject(error instanceof Error ? error : new Error('The session could not be saved'));
      else resolve();
    });
  });
}
