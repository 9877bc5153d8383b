import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { Clock } from '../common/time/clock.js';
import { ClosureRepository } from './closure.repository.js';
import type { Closure } from './closure.entity.js';
import type { TimeSpan } from './schedule-rules.js';
import { StrandedSessionsRepository, type ScheduledSessionRow } from './stranded-sessions.repository.js';
import { TimeOffRepository } from './time-off.repository.js';
import { closureSpan, daysAround, strandedReason, type UnavailableSpan } from './unavailability.js';
import { WorkingHoursRepository } from './working-hours.repository.js';

/** A Scheduled session that its therapist's hours, time off or a closure now leave out, and why. */
export interface StrandedSession extends ScheduledSessionRow {
  reason: string;
}

export interface StrandedQuery {
  range: TimeSpan;
  /** Whose sessions; everyone's the actor may see when left out. */
  therapistIds?: readonly number[];
}

/**
 * Time off and closures as spans of time, and the Scheduled sessions they (or the working hours) leave out: what
 * bookings, availability, the calendar and the day sheet read. A therapist sees only their own.
 */
@Injectable()
export class UnavailabilityService {
  constructor(
    private readonly timeOff: TimeOffRepository,
    private readonly closures: ClosureRepository,
    private readonly workingHours: WorkingHoursRepository,
    private readonly sessions: StrandedSessionsRepository,
    private readonly clinic: ClinicClock,
    private readonly clock: Clock,
    private readonly scope: AccessScope,
  ) {}

  /** Each therapist's time off and the clinic's closures overlapping `range`, in start order. */
  async unavailableSpans(
    therapistIds: readonly number[],
    range: TimeSpan,
  ): Promise<Map<number, UnavailableSpan[]>> {
    const ids = this.visible(therapistIds);
    const [timeOff, closures] = await Promise.all([
      this.timeOff.findOverlapping(ids, range.start, range.end),
      this.closureSpans(range),
    ]);
    const byTherapist = new Map<number, UnavailableSpan[]>(ids.map((id) => [id, [...closures]]));
    for (const leave of timeOff) {
      byTherapist.get(leave.therapist.id)?.push({
        kind: 'time_off',
        id: leave.id,
        label: leave.reason,
        start: leave.startsAt,
        end: leave.endsAt,
      });
    }
    for (const spans of byTherapist.values()) spans.sort((a, b) => a.start.getTime() - b.start.getTime());
    return byTherapist;
  }

  /** The clinic's closures overlapping `range`, as the instants they cover in the clinic's zone. */
  async closureSpans(range: TimeSpan): Promise<UnavailableSpan[]> {
    const { first, last } = daysAround(range);
    return (await this.closures.findOverlapping(first, last))
      .map((closure) => this.closureAsSpan(closure))
      .filter((span) => span.start < range.end && range.start < span.end);
  }

  closureAsSpan(closure: Closure): UnavailableSpan {
    return {
      kind: 'closure',
      id: closure.id,
      label: closure.name,
      ...closureSpan(closure.startsOn, closure.endsOn, this.clinic.timeZone),
    };
  }

  /**
   * Scheduled sessions yet to start in `range` that lie outside their therapist's working hours, in their time
   * off or on a closed day: the ones a change of the schedule left stranded, to be moved.
   */
  async strandedSessions(query: StrandedQuery): Promise<StrandedSession[]> {
    const ids = query.therapistIds ? this.visible(query.therapistIds) : this.ownOnly();
    const sessions = await this.sessions.findScheduled(query.range, this.clock.now(), ids);
    if (sessions.length === 0) return [];
    const therapistIds = [...new Set(sessions.map((session) => session.therapistId))];
    const [hours, unavailable] = await Promise.all([
      this.workingHours.findOfTherapists(therapistIds),
      this.unavailableSpans(therapistIds, query.range),
    ]);
    // Grouped once, not filtered per session: a clinic-wide closure checks thousands of sessions.
    const weeks = Map.groupBy(hours, (interval) => interval.therapist.id);
    const stranded: StrandedSession[] = [];
    for (const session of sessions) {
      const reason = strandedReason(
        weeks.get(session.therapistId) ?? [],
        unavailable.get(session.therapistId) ?? [],
        { start: session.startsAt, end: session.endsAt },
        session.therapistTimeZone ?? this.clinic.timeZone,
      );
      if (reason) stranded.push({ ...session, reason });
    }
    return stranded;
  }

  private visible(therapistIds: readonly number[]): number[] {
    const own = this.scope.ownTherapistId;
    return [...new Set(therapistIds)].filter((id) => own === undefined || id === own);
  }

  private ownOnly(): number[] | undefined {
    const own = this.scope.ownTherapistId;
    return own === undefined ? undefined : [own];
  }
}
