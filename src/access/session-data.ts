import type { Session } from 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** Epoch ms of the sign-in: the absolute lifetime counts from here. */
    signedInAt: number;
    /** Epoch ms of the last request, to the minute: the idle timeout counts from here. */
    lastSeenAt: number;
    /** The client address at sign-in (or at the renewal after a password change), shown on "Your sign-ins". */
    ip: string;
    /** The User-Agent header then, cut to the length the audit trail keeps (400). */
    userAgent: string;
    /**
     * The password was right and the account has two-factor sign-in: whose code `/login/mfa` waits for, since
     * when (epoch ms; it is valid a few minutes) and where to go afterwards. Not signed in until the code is.
     */
    mfaPending: { userId: number; since: number; next: string };
    /**
     * A sign-in sent to the identity provider: the state, nonce and PKCE verifier its answer must match, since
     * when (epoch ms), and where to go afterwards. Spent by the first answer, right or wrong.
     */
    oidcPending: { state: string; nonce: string; verifier: string; since: number; next: string };
    /** How this session was signed in: `sso` sessions took their second factor at the identity provider. */
    signInMethod: string;
  }
}

/**
 * Writes the session to the store now, rather than when express-session would (as the response ends, possibly
 * after a redirect has reached the browser, whose next request could then overtake the write).
 */
export function saveSession(session: Session): Promise<void> {
  return new Promise((resolve, reject) => {
    session.save((error: unknown) => {
      if (error) reject(error instanceof Error ? error : new Error('The session could not be saved'));
      else resolve();
    });
  });
}
