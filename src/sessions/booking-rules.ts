import { Injectable } from '@nestjs/common';
import { DriverException, EntityManager } from '@mikro-orm/postgresql';
import { ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import { parseInstant } from '../common/validation/decorators.js';
import { transactionRetryingDeadlocks } from '../database/transaction.js';
import { reachOf, scheduleProblem, type TimeSpan } from '../scheduling/schedule-rules.js';
import { unavailabilityProblem } from '../scheduling/unavailability.js';
import { UnavailabilityService } from '../scheduling/unavailability.service.js';
import { WorkingHoursService } from '../scheduling/working-hours.service.js';
import type { Therapist } from '../therapists/therapist.entity.js';
import { BookingConflicts } from './booking-conflicts.js';
import { SessionRepository } from './session.repository.js';

const OVERLAP_CONSTRAINTS: Record<string, 'therapist' | 'patient'> = {
  therapy_session_therapist_no_overlap: 'therapist',
  therapy_session_patient_no_overlap: 'patient',
};

/** The time a booking or a change takes, kept so a refused overlap can name the session it collides with. */
export interface BookingSpan extends TimeSpan {
  therapistId: number;
  patientId: number;
  /** The session being changed, which is not in its own way. */
  excludeId?: number;
}

/** The database refused `span` for an overlap; translated into a problem once the transaction has ended. */
export class SlotTaken extends Error {
  constructor(
    readonly span: BookingSpan,
    readonly whose: 'therapist' | 'patient',
  ) {
    super(`The ${whose} already has a session at that time.`);
  }
}

/**
 * Where the scheduling rules meet the sessions booked: working hours and buffers (the rules in scheduling/),
 * and overlaps, which PostgreSQL's exclusion constraints refuse even between concurrent transactions.
 */
@Injectable()
export class BookingRules {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionRepository,
    private readonly schedules: WorkingHoursService,
    private readonly conflicts: BookingConflicts,
    private readonly unavailability: UnavailabilityService,
  ) {}

  /**
   * Why each span cannot be booked for the therapist (a closure, their time off, working hours, buffer), or
   * `undefined` where it can. Every booking, series and move passes through here. Like working hours, closures and
   * time off apply to a session yet to start: a backfill records what happened.
   */
  async schedulingProblems(
    therapist: Therapist,
    spans: readonly TimeSpan[],
    excludeId?: number,
  ): Promise<(ProblemException | undefined)[]> {
    if (spans.length === 0) return [];
    const schedule = await this.schedules.scheduleOf(therapist);
    // No buffer, no neighbour to keep away from: overlaps are the database's to refuse.
    const booked =
      therapist.bufferMinutes === 0
        ? []
        : await this.sessions.findActiveOverlapping({
            therapistId: therapist.id,
            ...reachOf(spans, therapist.bufferMinutes),
            excludeId,
          });
    const unavailable =
      (await this.unavailability.unavailableSpans([therapist.id], reachOf(spans, 0))).get(therapist.id) ?? [];
    const now = Date.now();
    return spans.map(
      (span) =>
        (span.start.getTime() > now ? unavailabilityProblem(therapist.name, unavailable, span) : undefined) ??
        scheduleProblem(schedule, span, booked, now),
    );
  }

  async assertSchedulable(therapist: Therapist, span: TimeSpan, excludeId?: number): Promise<void> {
    const [problem] = await this.schedulingProblems(therapist, [span], excludeId);
    if (problem)
      throw await this.conflicts.explained(problem, { therapistId: therapist.id, span, excludeId });
  }

  /** Writes the unit of work; an overlap PostgreSQL refuses becomes `SlotTaken` for `span`. */
  async flush(span: BookingSpan): Promise<void> {
    try {
      await this.em.flush();
    } catch (error) {
      const whose = overlapOf(error);
      throw whose ? new SlotTaken(span, whose) : error;
    }
  }

  /**
   * Runs `work` in a transaction (again after a deadlock); a `SlotTaken` answers 409 naming the session in the
   * way, looked up after the rollback.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await transactionRetryingDeadlocks(this.em, work);
    } catch (error) {
      if (!(error instanceof SlotTaken)) throw error;
      throw await this.overlapProblem(error);
    }
  }

  private overlapProblem({ span, whose }: SlotTaken): Promise<ProblemException> {
    const { therapistId, patientId, excludeId } = span;
    return this.conflicts.overlap(whose, { therapistId, patientId, excludeId, span });
  }
}

function overlapOf(error: unknown): 'therapist' | 'patient' | undefined {
  if (!(error instanceof DriverException)) return undefined;
  const { code, constraint } = error as DriverException & { constraint?: string };
  return code === '23P01' && constraint ? OVERLAP_CONSTRAINTS[constraint] : undefined;
}

/** The start a validated request asks for (DTO validation already guarantees the format; this converts). */
export function startOf(value: string): Date {
  const date = parseInstant(value);
  if (!date) throw validationProblem([{ field: 'date', message: 'date must be a date-time with an offset' }]);
  return date;
}
