import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DeadlockException, DriverException, EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import type { AppConfig } from '../config/app-config.js';
import type { Page } from '../common/pagination/page.js';
import {
  ProblemException,
  notFoundProblem,
  validationProblem,
} from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { resolveDateRange } from '../common/time/date-range.js';
import { parseInstant } from '../common/validation/decorators.js';
import { Patient } from '../patients/patient.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { WorkingHours } from '../therapists/working-hours.entity.js';
import { workingHoursViolation } from '../therapists/working-hours.js';
import type {
  CancelSessionDto,
  CreateSeriesDto,
  CreateSessionDto,
  ListSessionsQuery,
  UpdateSessionDto,
} from './dto/session.dto.js';
import { SessionEvent, SessionEventType, type SessionSnapshot } from './session-event.entity.js';
import { canReschedule, requiresReason } from './session-lifecycle.js';
import { SessionPolicy } from './session-policy.js';
import { SessionSeries, WEEKS_BETWEEN } from './session-series.entity.js';
import { SessionStatus } from './session-status.js';
import { DEFAULT_DURATION_MINUTES, Session } from './session.entity.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

const OVERLAP_CONSTRAINTS = {
  therapy_session_therapist_no_overlap: 'therapist',
  therapy_session_patient_no_overlap: 'patient',
} as const;

/** The time a booking or a change asks for, kept so a refused overlap can name the session it collides with. */
interface Attempt {
  therapistId: number;
  patientId: number;
  start: Date;
  end: Date;
  excludeId?: number;
}

export interface UpdateOptions {
  /** Versions the client accepts (If-Match); when the current one is not among them: 412 and no change. */
  expectedVersions?: readonly number[];
}

export interface FailingOccurrence {
  index: number;
  date: string;
  ends_at: string;
  reason: string;
  conflicting_session_id?: number;
}

const endOf = (start: Date, minutes: number): Date => new Date(start.getTime() + minutes * 60_000);

/**
 * The rules of scheduling, in one place for the API and the pages: who can be booked when, which status changes
 * are allowed, and the history of every change (written in the same transaction as the change). PostgreSQL
 * guarantees what it can: no overlaps (exclusion constraints), one writer per session and per therapist's
 * diary at a time (row locks), and the version check against lost updates.
 */
@Injectable()
export class SessionsService {
  private readonly clinicTimeZone: string;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly em: EntityManager,
    private readonly policy: SessionPolicy,
    config: ConfigService<AppConfig, true>,
  ) {
    this.clinicTimeZone = config.get('clinicTimezone', { infer: true });
  }

  list(query: ListSessionsQuery): Promise<Page<SessionWithPeople>> {
    const range = resolveDateRange(query.from, query.to, this.clinicTimeZone);
    return this.sessions.findPage({
      ...query.toPageRequest(),
      q: query.q,
      status: query.status,
      therapistId: query.therapist_id,
      patientId: query.patient_id,
      seriesId: query.series_id,
      ...range,
      sort: query.sort,
      order: query.order,
    });
  }

  /** Sessions starting within a window (a calendar week), optionally of one therapist. */
  startingBetween(from: Date, to: Date, therapistId?: number): Promise<SessionWithPeople[]> {
    return this.sessions.findStartingBetween({ from, to, therapistId });
  }

  async get(id: number): Promise<SessionWithPeople> {
    const session = await this.sessions.findOneWithPeople(id);
    if (!session) throw notFoundProblem(`Session ${id} does not exist.`);
    return session;
  }

  async history(id: number): Promise<SessionEvent[]> {
    await this.get(id);
    return this.em.find(SessionEvent, { session: id }, { orderBy: { id: 'asc' } });
  }

  async create(input: CreateSessionDto): Promise<SessionWithPeople> {
    const start = this.instant(input.date);
    const duration = input.duration_minutes ?? DEFAULT_DURATION_MINUTES;
    const attempt: Attempt = {
      therapistId: input.therapist_id,
      patientId: input.patient_id,
      start,
      end: endOf(start, duration),
    };
    const id = await this.transaction(attempt, async (em) => {
      const { therapist, patient } = await this.participants(em, input.therapist_id, input.patient_id);
      await this.assertSchedulable(em, therapist, attempt);
      const session = em.create(Session, {
        therapist,
        patient,
        startsAt: start,
        durationMinutes: duration,
        notes: input.notes ?? null,
      });
      this.record(em, session, SessionEventType.Created, null, snapshot(session));
      await em.flush();
      return session.id;
    });
    return this.get(id);
  }

  /**
   * Books every occurrence or none: each is checked (overlaps, working hours, buffer) and all failures are
   * reported together; the exclusion constraints still guard the insert against a concurrent booking.
   */
  async createSeries(
    input: CreateSeriesDto,
  ): Promise<{ series: SessionSeries; sessions: SessionWithPeople[] }> {
    const duration = input.duration_minutes ?? DEFAULT_DURATION_MINUTES;
    const first = this.instant(input.date);
    const attempt: Attempt = {
      therapistId: input.therapist_id,
      patientId: input.patient_id,
      start: first,
      end: endOf(first, duration),
    };
    const book = (named?: Attempt): Promise<{ seriesId: number; ids: number[] }> =>
      this.transaction(named, async (em) => {
        const { therapist, patient } = await this.participants(em, input.therapist_id, input.patient_id);
        const starts = this.occurrenceStarts(
          first,
          input.frequency,
          input.occurrences,
          this.timeZoneOf(therapist),
        );
        const failures: FailingOccurrence[] = [];
        for (const [index, start] of starts.entries()) {
          const failure = await this.occurrenceFailure(em, therapist, patient, {
            ...attempt,
            start,
            end: endOf(start, duration),
          });
          if (failure)
            failures.push({
              index,
              date: start.toISOString(),
              ends_at: endOf(start, duration).toISOString(),
              ...failure,
            });
        }
        if (failures.length > 0) {
          throw new ProblemException(
            'series-not-bookable',
            `${failures.length} of ${starts.length} occurrences cannot be booked, so none was.`,
            {
              errors: failures.map((failure) => ({
                field: `occurrences[${failure.index}]`,
                message: `${failure.date}: ${failure.reason}`,
              })),
              extensions: { failing_occurrences: failures },
            },
          );
        }
        const series = em.create(SessionSeries, {
          frequency: input.frequency,
          occurrences: input.occurrences,
        });
        const created = starts.map((start) => {
          const session = em.create(Session, {
            therapist,
            patient,
            series,
            startsAt: start,
            durationMinutes: duration,
            notes: input.notes ?? null,
          });
          this.record(em, session, SessionEventType.Created, null, snapshot(session));
          return session;
        });
        await em.flush();
        return { seriesId: series.id, ids: created.map((session) => session.id) };
      });
    let booked: { seriesId: number; ids: number[] };
    try {
      booked = await book();
    } catch (error) {
      // A booking committed between the checks and the inserts took one of the slots: checking again names every
      // occurrence that now fails, as if it had been there from the start.
      if (!overlapOf(error)) throw error;
      booked = await book(attempt);
    }
    const { seriesId, ids } = booked;
    const series = await this.em.findOneOrFail(SessionSeries, seriesId);
    const sessions = await Promise.all(ids.map((id) => this.get(id)));
    return { series, sessions };
  }

  async update(id: number, input: UpdateSessionDto, options: UpdateOptions = {}): Promise<SessionWithPeople> {
    const attempt: Attempt = {
      therapistId: 0,
      patientId: 0,
      start: new Date(0),
      end: new Date(0),
      excludeId: id,
    };
    await this.transaction(attempt, async (em) => {
      const session = await this.lockedSession(em, id, options.expectedVersions);
      Object.assign(attempt, {
        therapistId: session.therapist.id,
        patientId: session.patient.id,
        start: session.startsAt,
        end: session.endsAt,
      });
      this.assertReasonFits(input);
      const reopening = input.status === SessionStatus.Scheduled;
      const start = input.date === undefined ? session.startsAt : this.instant(input.date);
      const duration = input.duration_minutes ?? session.durationMinutes;
      const moves = start.getTime() !== session.startsAt.getTime() || duration !== session.durationMinutes;
      const move = async (): Promise<void> => {
        Object.assign(attempt, { start, end: endOf(start, duration) });
        await this.reschedule(em, session, attempt, duration);
      };
      // A Scheduled session is moved before its new status applies (correct the length, then complete it); any
      // other is reopened before it is moved.
      const movesFirst = moves && session.status === SessionStatus.Scheduled;
      if (movesFirst) await move();
      if (input.status !== undefined) this.changeStatus(em, session, input.status, input.reason);
      if (moves && !movesFirst) {
        await move();
      } else if (!moves && reopening) {
        // A reopened session takes its time back, so it must fit the working hours and buffers like a booking.
        const therapist = await em.findOneOrFail(Therapist, attempt.therapistId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        });
        await this.assertSchedulable(em, therapist, attempt);
      }
      if (input.notes !== undefined && input.notes !== session.notes) {
        this.record(
          em,
          session,
          SessionEventType.NotesChanged,
          { notes: session.notes },
          { notes: input.notes },
        );
        session.notes = input.notes;
      }
      await em.flush();
    });
    return this.get(id);
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
      const session = await this.lockedSession(em, id, options.expectedVersions);
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
        input.scope === 'following' && session.series
          ? await em.find(
              Session,
              {
                series: session.series,
                status: SessionStatus.Scheduled,
                startsAt: { $gt: session.startsAt },
              },
              { orderBy: { startsAt: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
            )
          : [];
      const targets = [session, ...following];
      for (const target of targets) {
        const status = this.policy.transitionsOf(target, now).find(requiresReason);
        if (status) this.changeStatus(em, target, status, input.reason);
      }
      await em.flush();
      return targets.map((target) => target.id);
    });
    return Promise.all(ids.map((sessionId) => this.get(sessionId)));
  }

  private async lockedSession(
    em: EntityManager,
    id: number,
    expectedVersions?: readonly number[],
  ): Promise<Session> {
    // FOR UPDATE: concurrent changes to one session queue up here, so the version check below is exact.
    const session = await em.findOne(Session, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
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

  private assertReasonFits(input: UpdateSessionDto): void {
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

  private changeStatus(em: EntityManager, session: Session, status: SessionStatus, reason?: string): void {
    this.policy.assertTransition(session, status);
    const before = { status: session.status, status_reason: session.statusReason };
    session.status = status;
    session.statusReason = requiresReason(status) ? (reason ?? null) : null;
    this.record(
      em,
      session,
      SessionEventType.StatusChanged,
      before,
      { status: session.status, status_reason: session.statusReason },
      reason,
    );
  }

  private async reschedule(
    em: EntityManager,
    session: Session,
    attempt: Attempt,
    duration: number,
  ): Promise<void> {
    if (!canReschedule(session.status)) {
      throw new ProblemException(
        'not-reschedulable',
        `Session ${session.id} is ${session.status}; only a Scheduled session can be moved. Reopen it first.`,
        { errors: [{ field: 'date', message: `a ${session.status} session cannot be rescheduled` }] },
      );
    }
    const therapist = await em.findOneOrFail(Therapist, attempt.therapistId, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    await this.assertSchedulable(em, therapist, attempt);
    const before = { date: session.startsAt.toISOString(), duration_minutes: session.durationMinutes };
    session.startsAt = attempt.start;
    session.durationMinutes = duration;
    this.record(em, session, SessionEventType.Rescheduled, before, {
      date: session.startsAt.toISOString(),
      duration_minutes: session.durationMinutes,
    });
  }

  /**
   * The therapist row is locked (FOR UPDATE) for the rest of the transaction: bookings for one therapist take
   * turns, so two requests cannot both squeeze into one buffer. Overlaps need no lock: the exclusion
   * constraints refuse them even between concurrent transactions.
   */
  private async participants(
    em: EntityManager,
    therapistId: number,
    patientId: number,
  ): Promise<{ therapist: Therapist; patient: Patient }> {
    const [therapist, patient] = await Promise.all([
      em.findOne(Therapist, therapistId, { lockMode: LockMode.PESSIMISTIC_WRITE }),
      em.findOne(Patient, patientId),
    ]);
    const missing: FieldError[] = [];
    if (!therapist)
      missing.push({ field: 'therapist_id', message: `therapist ${therapistId} does not exist` });
    if (!patient) missing.push({ field: 'patient_id', message: `patient ${patientId} does not exist` });
    if (!therapist || !patient) throw validationProblem(missing);
    return { therapist, patient };
  }

  /**
   * Working hours apply to sessions yet to start, and the buffer to sessions that have not ended (so a session
   * under way cannot grow into the next one's buffer); a session that has ended (backfill) is only checked for
   * overlaps, by the database. A session under way can still be corrected or reopened whatever its hours.
   */
  private async assertSchedulable(em: EntityManager, therapist: Therapist, attempt: Attempt): Promise<void> {
    const problem = await this.scheduleProblem(em, therapist, attempt);
    if (problem) throw problem;
  }

  private async scheduleProblem(
    em: EntityManager,
    therapist: Therapist,
    attempt: Attempt,
  ): Promise<ProblemException | undefined> {
    const now = Date.now();
    if (attempt.end.getTime() <= now) return undefined;
    const hours =
      attempt.start.getTime() > now
        ? await em.find(WorkingHours, { therapist }, { orderBy: { weekday: 'asc', startMinute: 'asc' } })
        : [];
    const outside = workingHoursViolation(hours, attempt.start, attempt.end, this.timeZoneOf(therapist));
    if (outside) {
      return new ProblemException(
        'outside-working-hours',
        `${therapist.name} cannot be booked then: ${outside}.`,
        {
          errors: [{ field: 'date', message: `Outside working hours: ${outside}` }],
        },
      );
    }
    if (therapist.bufferMinutes === 0) return undefined;
    const neighbour = await em.getRepository(Session).findWithinBuffer({
      therapistId: therapist.id,
      start: attempt.start,
      end: attempt.end,
      bufferMinutes: therapist.bufferMinutes,
      excludeId: attempt.excludeId,
    });
    if (!neighbour) return undefined;
    return new ProblemException(
      'within-buffer',
      `${therapist.name} keeps ${therapist.bufferMinutes} minutes free between sessions; session ${neighbour.id} ` +
        `runs ${neighbour.startsAt.toISOString()}–${neighbour.endsAt.toISOString()}.`,
      {
        errors: [
          {
            field: 'date',
            message: `Within the ${therapist.bufferMinutes}-minute buffer of session ${neighbour.id}`,
          },
        ],
        extensions: { conflicting_session: conflictOf(neighbour) },
      },
    );
  }

  private async occurrenceFailure(
    em: EntityManager,
    therapist: Therapist,
    patient: Patient,
    attempt: Attempt,
  ): Promise<Pick<FailingOccurrence, 'reason' | 'conflicting_session_id'> | undefined> {
    const repository = em.getRepository(Session);
    const overlapping =
      (await repository.findOverlapping({
        therapistId: therapist.id,
        start: attempt.start,
        end: attempt.end,
      })) ??
      (await repository.findOverlapping({ patientId: patient.id, start: attempt.start, end: attempt.end }));
    if (overlapping) {
      const whose = overlapping.therapist.id === therapist.id ? 'the therapist' : 'the patient';
      return {
        reason: `overlaps session ${overlapping.id} of ${whose}`,
        conflicting_session_id: overlapping.id,
      };
    }
    const problem = await this.scheduleProblem(em, therapist, attempt);
    return problem ? { reason: problem.errors[0]?.message ?? problem.message } : undefined;
  }

  /** Local wall-clock time stays the same across daylight-saving changes: 10:00 every week stays 10:00. */
  private occurrenceStarts(
    first: Date,
    frequency: CreateSeriesDto['frequency'],
    count: number,
    timeZone: string,
  ): Date[] {
    const local = Temporal.Instant.fromEpochMilliseconds(first.getTime()).toZonedDateTimeISO(timeZone);
    return Array.from({ length: count }, (_, index) => {
      const next = local.add({ weeks: index * WEEKS_BETWEEN[frequency] });
      return new Date(next.epochMilliseconds);
    });
  }

  private timeZoneOf(therapist: Therapist): string {
    return therapist.timeZone ?? this.clinicTimeZone;
  }

  /**
   * Runs `work` in a transaction, again (up to three times) if PostgreSQL ends it to break a deadlock between
   * concurrent bookings; when PostgreSQL refuses it for an overlap (an exclusion constraint), answers 409 naming
   * the session it collides with, looked up after the rollback.
   */
  private async transaction<T>(
    attempt: Attempt | undefined,
    work: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.retryingDeadlocks(work);
    } catch (error) {
      const whose = overlapOf(error);
      if (!whose || !attempt) throw error;
      const conflicting = await this.em
        .fork()
        .getRepository(Session)
        .findOverlapping({
          ...(whose === 'therapist'
            ? { therapistId: attempt.therapistId }
            : { patientId: attempt.patientId }),
          start: attempt.start,
          end: attempt.end,
          excludeId: attempt.excludeId,
        });
      const detail = conflicting
        ? `The ${whose} already has session ${conflicting.id} from ${conflicting.startsAt.toISOString()} to ${conflicting.endsAt.toISOString()}.`
        : `The ${whose} already has a session at that time.`;
      throw new ProblemException('session-overlap', detail, {
        errors: [
          {
            field: 'date',
            message: conflicting
              ? `Overlaps session ${conflicting.id} of the ${whose} (${conflicting.startsAt.toISOString()}–${conflicting.endsAt.toISOString()})`
              : `Overlaps another session of the ${whose}`,
          },
        ],
        extensions: conflicting ? { conflicting_session: conflictOf(conflicting) } : {},
      });
    }
  }

  private async retryingDeadlocks<T>(work: (em: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.em.transactional(work);
      } catch (error) {
        if (!(error instanceof DeadlockException) || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
      }
    }
  }

  private record(
    em: EntityManager,
    session: Session,
    type: SessionEventType,
    before: SessionSnapshot | null,
    after: SessionSnapshot | null,
    reason?: string,
  ): void {
    em.create(SessionEvent, { session, type, before, after, reason: reason ?? null });
  }

  /** DTO validation already guarantees the format; this only converts. */
  private instant(value: string): Date {
    const date = parseInstant(value);
    if (!date)
      throw validationProblem([{ field: 'date', message: 'date must be a date-time with an offset' }]);
    return date;
  }
}

function snapshot(session: Session): SessionSnapshot {
  return {
    date: session.startsAt.toISOString(),
    duration_minutes: session.durationMinutes,
    status: session.status,
    notes: session.notes,
  };
}

function conflictOf(session: Session): { id: number; date: string; ends_at: string } {
  return { id: session.id, date: session.startsAt.toISOString(), ends_at: session.endsAt.toISOString() };
}

function overlapOf(error: unknown): 'therapist' | 'patient' | undefined {
  if (!(error instanceof DriverException)) return undefined;
  const { code, constraint } = error as DriverException & { constraint?: string };
  if (code !== '23P01' || !constraint) return undefined;
  return constraint in OVERLAP_CONSTRAINTS
    ? OVERLAP_CONSTRAINTS[constraint as keyof typeof OVERLAP_CONSTRAINTS]
    : undefined;
}
