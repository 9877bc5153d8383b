import { Clock } from '../../src/common/time/clock.js';

/** The app's clock, moved forward by the test (session lifetimes, token expiry) while real time runs on. */
export class MovableClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
