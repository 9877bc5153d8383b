/** Now, as the app sees it; a provider so tests can move time (session expiry) without fake timers. */
export class Clock {
  now(): Date {
    return new Date();
  }
}
