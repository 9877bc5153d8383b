import { Injectable } from '@nestjs/common';
import type { Temporal } from 'temporal-polyfill';
import { ClinicClock } from '../common/time/clinic-time.js';
import { pagedUrl, therapistPage, type TherapistPager } from '../common/web/therapist-page.js';
import { Clock } from '../common/time/clock.js';
import { startOfDay } from '../common/time/date-range.js';
import type { TimeSpan } from '../scheduling/schedule-rules.js';
import { UnavailabilityService } from '../scheduling/unavailability.service.js';
import { workingSpans } from '../scheduling/working-hours.js';
import type { UnavailableSpan } from '../scheduling/unavailability.js';
import { WorkingHoursService, type TherapistWeek } from '../scheduling/working-hours.service.js';
import type { SessionWithPeople } from '../sessions/session.repository.js';
import { SessionReadsService } from '../sessions/session-reads.service.js';

/** What the day sheet shows of one day: who may work, their sessions, their time away, and what is stranded. */
export interface DaySheetData {
  date: Temporal.PlainDate;
  range: TimeSpan;
  now: Date;
  schedules: TherapistWeek[];
  sessions: SessionWithPeople[];
  unavailable: Map<number, UnavailableSpan[]>;
  /** Why each stranded session (by id) no longer fits its therapist's day. */
  stranded: Map<number, string>;
  /** Which of the therapists at work that day these columns are, when they do not all fit. */
  pager: TherapistPager;
}

/** Columns on one sheet: what fits side by side at a desk; a larger clinic pages through its therapists. */
export const DAY_SHEET_COLUMNS = 10;

/** One day of the practice for the front desk (or a therapist's own day): read in a fixed number of queries. */
@Injectable()
export class DaySheetService {
  constructor(
    private readonly workingHours: WorkingHoursService,
    private readonly unavailability: UnavailabilityService,
    private readonly sessions: SessionReadsService,
    private readonly clinic: ClinicClock,
    private readonly clock: Clock,
  ) {}

  /** Today in the clinic's time zone, by the app's clock. */
  today(): Temporal.PlainDate {
    return this.clinic.localDate(this.clock.now());
  }

  /** The sheet of `date`: the `page`-th group of the therapists who work or see someone that day. */
  async day(date: Temporal.PlainDate, page?: number): Promise<DaySheetData> {
    const range = {
      start: startOfDay(date, this.clinic.timeZone),
      end: startOfDay(date.add({ days: 1 }), this.clinic.timeZone),
    };
    const [all, busy] = await Promise.all([
      this.workingHours.weeksOfAll(),
      this.sessions.therapistsWithSessionsBetween(range.start, range.end),
    ]);
    const busyIds = new Set(busy);
    const atWork = all.filter(
      (schedule) =>
        busyIds.has(schedule.therapist.id) ||
        workingSpans(schedule.intervals, range.start, range.end, schedule.timeZone).length > 0,
    );
    const { items: schedules, pager } = therapistPage(atWork, page, DAY_SHEET_COLUMNS, (n) =>
      pagedUrl('/day', { date: date.toString() }, n),
    );
    const ids = schedules.map((schedule) => schedule.therapist.id);
    const [sessions, unavailable, stranded] = await Promise.all([
      this.sessions.ofTherapistsStartingBetween(ids, range.start, range.end),
      this.unavailability.unavailableSpans(ids, range),
      this.unavailability.strandedSessions({ range, therapistIds: ids }),
    ]);
    return {
      date,
      range,
      now: this.clock.now(),
      schedules,
      sessions,
      unavailable,
      stranded: new Map(stranded.map((session) => [session.id, session.reason])),
      pager,
    };
  }
}
