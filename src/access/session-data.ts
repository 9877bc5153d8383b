import 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** Epoch ms of the sign-in: the absolute lifetime counts from here. */
    signedInAt: number;
    /** Epoch ms of the last request, to the minute: the idle timeout counts from here. */
    lastSeenAt: number;
  }
}
