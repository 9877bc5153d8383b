import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ProblemException,
  notFoundProblem,
  validationProblem,
} from '../common/problems/problem.exception.js';
import { WorkingHoursService } from '../scheduling/working-hours.service.js';
import type { Therapist } from '../therapists/therapist.entity.js';
import { endOf } from '../scheduling/schedule-rules.js';
import { BookingRules, startOf, type BookingSpan } from './booking-rules.js';
import { BookingWindow } from './booking-window.js';
import type { CancelSessionDto, UpdateSessionDto } from './dto/session.dto.js';
import { SessionEventType } from './session-event.entity.js';
import { SessionEventRepository } from './session-event.repository.js';
import { changeStatusRecorded, timeOf } from './session-history.js';
import { canReschedule, requiresReason } from './session-lifecycle.js';
import { SessionPolicy } from './session-policy.js';
import { SessionReadsService } from './session-reads.service.js';
import { SessionStatus } from './session-status.js';
import type { Session } from './session.entity.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

export interface UpdateOptions {
  /** Versions the client accepts (If-Match); when the current one is not among them: 412 and no change. */
  expectedVersions?: readonly number[];
}

/**
 * Changes to a booked session: its time, status (with reopening) and notes, and cancellation of it or the rest of
 * its series. Each change and its history entry are written in one transaction, with the session row locked.
 */
@Injectable()
export class SessionChangesService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionRepository,
    private readonly events: SessionEventRepository,
    private readonly policy: SessionPolicy,
    private readonly schedules: WorkingHoursService,
    private readonly rules: BookingRules,
    private readonly reads: SessionReadsService,
    private readonly scope: AccessScope,
    private readonly window: BookingWindow,
  ) {}

  async update(id: number, input: UpdateSessionDto, options: UpdateOptions = {}): Promise<SessionWithPeople> {
    await this.rules.transaction(async () => {
      const session = await this.lockedSession(id, options.expectedVersions);
      assertReasonFits(input);
      const start = input.date === undefined ? session.startsAt : startOf(input.date);
      const duration = input.duration_minutes ?? session.durationMinutes;
      const moves = start.getTime() !== session.startsAt.getTime() || duration !== session.durationMinutes;
      // A Scheduled session is moved before its new status applies (correct the length, then complete it); any
      // other is reopened before it is moved.
      const movesFirst = moves && session.status === SessionStatus.Scheduled;
      if (movesFirst) await this.reschedule(session, start, duration);
      if (input.status !== undefined) this.changeStatus(session, input.status, input.reason);
      if (moves && !movesFirst) {
        await this.reschedule(session, start, duration);
      } else if (!moves && input.status === SessionStatus.Scheduled) {
        // A reopened session takes its time back, so it must fit the working hours and buffers like a booking.
        await this.rules.assertSchedulable(await this.lockedTherapist(session), spanOf(session), session.id);
      }
      if (input.notes !== undefined && input.notes !== session.notes) {
        this.events.record(session, SessionEventType.NotesChanged, {
          before: { notes: session.notes },
          after: { notes: input.notes },
        });
        session.notes = input.notes;
      }
      await this.rules.flush(spanOf(session));
    });
    return this.reads.fetch(id);
  }

  /**
   * Cancels a session, or it and every later scheduled session of its series; each becomes Cancelled or
   * Late-Cancelled according to its own start time.
   */
  async cancel(
    id: number,
    input: CancelSessionDto,
    options: UpdateOptions = {},
  ): Promise<SessionWithPeople[]> {
    const ids = await this.em.transactional(async (em) => {
      const session = await this.lockedSession(id, options.expectedVersions);
      const now = new Date();
      const cancellation = this.policy.transitionsOf(session, now).find(requiresReason);
      if (!cancellation) this.policy.assertTransition(session, SessionStatus.Cancelled, now);
      if (input.scope === 'following' && !session.series) {
        throw new ProblemException(
          'conflict',
          `Session ${id} is not part of a series, so there are no following sessions to cancel; use scope "this".`,
          { errors: [{ field: 'scope', message: 'the session is not part of a series' }] },
        );
      }
      const following =
        input.scope === 'following' ? await this.sessions.findScheduledAfterInSeries(session) : [];
      const targets = [session, ...following];
      for (const target of targets) {
        const status = this.policy.transitionsOf(target, now).find(requiresReason);
        if (status) this.changeStatus(target, status, input.reason);
      }
      await em.flush();
      return targets.map((target) => target.id);
    });
    return this.reads.fetchMany(ids);
  }

  private async lockedSession(id: number, expectedVersions?: readonly number[]): Promise<Session> {
    // Locked: concurrent changes to one session queue up here, so the version check below is exact.
    const session = await this.sessions.findForUpdate(id, this.scope.ownTherapistId);
    if (!session) throw notFoundProblem(`Session ${id} does not exist.`);
    if (expectedVersions !== undefined && !expectedVersions.includes(session.version)) {
      throw new ProblemException(
        'precondition-failed',
        `Session ${id} was changed by someone else: If-Match names ${expectedVersions.length ? `version ${expectedVersions.join(', ')}` : 'no current version'}, it is now at version ${session.version}.`,
        { extensions: { current_version: session.version } },
      );
    }
    return session;
  }

  private async lockedTherapist(session: Session): Promise<Therapist> {
    const therapist = await this.schedules.lockedTherapist(session.therapist.id);
    if (!therapist) throw notFoundProblem(`Therapist ${session.therapist.id} does not exist.`);
    return therapist;
  }

  private changeStatus(session: Session, status: SessionStatus, reason?: string): void {
    this.policy.assertTransition(session, status);
    changeStatusRecorded(this.events, session, { status, reason });
  }

  private async reschedule(session: Session, start: Date, duration: number): Promise<void> {
    this.scope.assertMay('reschedule', 'Only the front desk moves sessions: ask reception to reschedule it.');
    if (!canReschedule(session.status)) {
      throw new ProblemException(
        'not-reschedulable',
        `Session ${session.id} is ${session.status}; only a Scheduled session can be moved. Reopen it first.`,
        { errors: [{ field: 'date', message: `a ${session.status} session cannot be rescheduled` }] },
      );
    }
    if (start.getTime() !== session.startsAt.getTime()) this.window.assertWithin(start);
    const span = { start, end: endOf(start, duration) };
    await this.rules.assertSchedulable(await this.lockedTherapist(session), span, session.id);
    const before = timeOf(session);
    session.startsAt = start;
    session.durationMinutes = duration;
    this.events.record(session, SessionEventType.Rescheduled, { before, after: timeOf(session) });
  }
}

/** The time the session takes now, named if the database finds it overlapping another. */
const spanOf = (session: Session): BookingSpan => ({
  therapistId: session.therapist.id,
  patientId: session.patient.id,
  start: session.startsAt,
  end: endOf(session.startsAt, session.durationMinutes),
  excludeId: session.id,
});

function assertReasonFits(input: UpdateSessionDto): void {
  const cancelling = input.status !== undefined && requiresReason(input.status);
  if (input.reason !== undefined && !cancelling) {
    throw validationProblem([
      { field: 'reason', message: 'reason only goes with status Cancelled or Late-Cancelled' },
    ]);
  }
  if (cancelling && input.reason === undefined) {
    throw validationProblem([{ field: 'reason', message: 'reason is required to cancel a session' }]);
  }
}
