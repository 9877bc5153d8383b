import 'express-session';

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
  }
}
