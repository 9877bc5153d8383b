import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { validationProblem } from '../common/problems/problem.exception.js';
import { Clock } from '../common/time/clock.js';
import type { AppConfig } from '../config/app-config.js';

const DAY = 86_400_000;

const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/**
 * The dates a session may start on: back to BACKFILL_DAYS ago (recording past sessions) and up to
 * BOOKING_HORIZON_YEARS ahead, so that a mistyped year (1900, 2206) is refused instead of heading every list.
 */
@Injectable()
export class BookingWindow {
  private readonly backfillDays: number;
  private readonly horizonYears: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly clock: Clock,
  ) {
    this.backfillDays = config.get('backfillDays', { infer: true });
    this.horizonYears = config.get('bookingHorizonYears', { infer: true });
  }

  bounds(): { earliest: Date; latest: Date } {
    const now = this.clock.now();
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + this.horizonYears);
    return { earliest: new Date(now.getTime() - this.backfillDays * DAY), latest };
  }

  /** 400 on `field` when `start` lies outside the window; `what` names the start in the message. */
  assertWithin(start: Date, field = 'date', what = 'date'): void {
    const { earliest, latest } = this.bounds();
    if (start < earliest) {
      throw validationProblem([
        {
          field,
          message: `${what} is more than ${this.backfillDays} days in the past: sessions can be recorded from ${dayOf(earliest)} on`,
        },
      ]);
    }
    if (start > latest) {
      const years = this.horizonYears === 1 ? 'a year' : `${this.horizonYears} years`;
      throw validationProblem([
        {
          field,
          message: `${what} is more than ${years} ahead: sessions can be booked until ${dayOf(latest)}`,
        },
      ]);
    }
  }
}
