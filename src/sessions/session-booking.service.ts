import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { EntityManager } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import { ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { transactionRetryingDeadlocks } from '../database/transaction.js';
import type { Patient } from '../patients/patient.entity.js';
import { PatientRepository } from '../patients/patient.repository.js';
import { WorkingHoursService } from '../scheduling/working-hours.service.js';
import type { Therapist } from '../therapists/therapist.entity.js';
import { endOf } from '../scheduling/schedule-rules.js';
import { BookingRules, SlotTaken, startOf, type BookingSpan } from './booking-rules.js';
import { BookingWindow } from './booking-window.js';
import type { CreateSeriesDto, CreateSessionDto } from './dto/session.dto.js';
import { SessionEventType } from './session-event.entity.js';
import { SessionEventRepository } from './session-event.repository.js';
import { snapshotOf } from './session-history.js';
import { WEEKS_BETWEEN, type SessionSeries } from './session-series.entity.js';
import { SessionSeriesRepository } from './session-series.repository.js';
import { SessionReadsService } from './session-reads.service.js';
import { DEFAULT_DURATION_MINUTES, type Session } from './session.entity.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

export interface FailingOccurrence {
  index: number;
  date: string;
  ends_at: string;
  reason: string;
  conflicting_session_id?: number;
}

interface BookedSeries {
  seriesId: number;
  ids: number[];
  skipped: FailingOccurrence[];
}

/** Booking: one session, or a weekly or fortnightly series, each with its history's first entry. */
@Injectable()
export class SessionBookingService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionRepository,
    private readonly series: SessionSeriesRepository,
    private readonly events: SessionEventRepository,
    private readonly patients: PatientRepository,
    private readonly schedules: WorkingHoursService,
    private readonly rules: BookingRules,
    private readonly reads: SessionReadsService,
    private readonly scope: AccessScope,
    private readonly window: BookingWindow,
  ) {}

  /** `alsoWithin` joins the booking's transaction, before its one write (closing a waitlist entry). */
  async create(
    input: CreateSessionDto,
    alsoWithin?: (session: Session) => Promise<void>,
  ): Promise<SessionWithPeople> {
    const start = startOf(input.date);
    const duration = input.duration_minutes ?? DEFAULT_DURATION_MINUTES;
    this.window.assertWithin(start);
    const id = await this.rules.transaction(async () => {
      const { therapist, patient } = await this.participants(input.therapist_id, input.patient_id);
      const span = { therapistId: therapist.id, patientId: patient.id, start, end: endOf(start, duration) };
      await this.rules.assertSchedulable(therapist, span);
      const session = this.sessions.create({
        therapist,
        patient,
        startsAt: start,
        durationMinutes: duration,
        notes: input.notes ?? null,
      });
      this.events.record(session, SessionEventType.Created, { after: snapshotOf(session) });
      await alsoWithin?.(session);
      await this.rules.flush(span);
      return session.id;
    });
    return this.reads.fetch(id);
  }

  /**
   * Books every occurrence or none (`on_conflict: refuse`, the default): each is checked (overlaps, closures, time
   * off, working hours, buffer) and all failures are reported together. With `skip`, books the others and answers
   * the failures as `skipped` (still 409 when none can be booked). The exclusion constraints still guard the
   * insert against a concurrent booking.
   */
  async createSeries(
    input: CreateSeriesDto,
  ): Promise<{ series: SessionSeries; sessions: SessionWithPeople[]; skipped: FailingOccurrence[] }> {
    const book = (): Promise<BookedSeries> => this.bookSeries(input);
    let booked: BookedSeries;
    try {
      booked = await transactionRetryingDeadlocks(this.em, book);
    } catch (error) {
      // A booking committed between the checks and the inserts took one of the slots: checking again names every
      // occurrence that now fails, as if it had been there from the start.
      if (!(error instanceof SlotTaken)) throw error;
      booked = await this.rules.transaction(book);
    }
    return {
      series: await this.reads.getSeries(booked.seriesId),
      sessions: await this.reads.fetchMany(booked.ids),
      skipped: booked.skipped,
    };
  }

  private async bookSeries(input: CreateSeriesDto): Promise<BookedSeries> {
    const duration = input.duration_minutes ?? DEFAULT_DURATION_MINUTES;
    const { therapist, patient } = await this.participants(input.therapist_id, input.patient_id);
    const spans: BookingSpan[] = occurrenceStarts(
      startOf(input.date),
      WEEKS_BETWEEN[input.frequency],
      input.occurrences,
      this.schedules.timeZoneOf(therapist),
    ).map((start) => ({
      therapistId: therapist.id,
      patientId: patient.id,
      start,
      end: endOf(start, duration),
    }));
    for (const [index, span] of spans.entries()) {
      if (index === 0) this.window.assertWithin(span.start);
      else this.window.assertWithin(span.start, 'occurrences', `occurrence ${index + 1}`);
    }
    const problems = await this.rules.schedulingProblems(therapist, spans);
    const failures: FailingOccurrence[] = [];
    for (const [index, span] of spans.entries()) {
      const problem = problems[index];
      const failure =
        (await this.overlapOf(span)) ??
        (problem && { reason: problem.errors[0]?.message ?? problem.message });
      if (failure) {
        failures.push({ index, date: span.start.toISOString(), ends_at: span.end.toISOString(), ...failure });
      }
    }
    const skipping = input.on_conflict === 'skip' && failures.length < spans.length;
    if (failures.length > 0 && !skipping) throw seriesNotBookable(failures, spans.length);
    const failed = new Set(failures.map((failure) => failure.index));
    const bookable = spans.filter((_, index) => !failed.has(index));
    const series = this.series.create({ frequency: input.frequency, occurrences: input.occurrences });
    const created = bookable.map((span) => {
      const session = this.sessions.create({
        therapist,
        patient,
        series,
        startsAt: span.start,
        durationMinutes: duration,
        notes: input.notes ?? null,
      });
      this.events.record(session, SessionEventType.Created, { after: snapshotOf(session) });
      return session;
    });
    const [first] = bookable;
    if (first) await this.rules.flush(first);
    return { seriesId: series.id, ids: created.map((session) => session.id), skipped: failures };
  }

  private async overlapOf(
    span: BookingSpan,
  ): Promise<Pick<FailingOccurrence, 'reason' | 'conflicting_session_id'> | undefined> {
    const overlapping =
      (await this.sessions.findOverlapping({
        therapistId: span.therapistId,
        start: span.start,
        end: span.end,
      })) ??
      (await this.sessions.findOverlapping({ patientId: span.patientId, start: span.start, end: span.end }));
    if (!overlapping) return undefined;
    const whose = overlapping.therapist.id === span.therapistId ? 'the therapist' : 'the patient';
    return {
      reason: `overlaps session ${overlapping.id} of ${whose}`,
      conflicting_session_id: overlapping.id,
    };
  }

  /** The therapist is locked for the rest of the transaction (see `WorkingHoursService.lockedTherapist`). */
  private async participants(
    therapistId: number,
    patientId: number,
  ): Promise<{ therapist: Therapist; patient: Patient }> {
    const own = this.scope.ownTherapistId;
    if (own !== undefined && own !== therapistId) {
      throw new ProblemException('forbidden', 'A therapist books sessions with themself only.', {
        errors: [{ field: 'therapist_id', message: `therapist_id must be your own (${own})` }],
      });
    }
    const [therapist, patient] = await Promise.all([
      this.schedules.lockedTherapist(therapistId),
      this.patients.findById(patientId, own),
    ]);
    const missing: FieldError[] = [];
    if (!therapist)
      missing.push({ field: 'therapist_id', message: `therapist ${therapistId} does not exist` });
    if (!patient) missing.push({ field: 'patient_id', message: `patient ${patientId} does not exist` });
    if (!therapist || !patient) throw validationProblem(missing);
    return { therapist, patient };
  }
}

/** Local wall-clock time stays the same across daylight-saving changes: 10:00 every week stays 10:00. */
function occurrenceStarts(first: Date, weeksBetween: number, count: number, timeZone: string): Date[] {
  const local = Temporal.Instant.fromEpochMilliseconds(first.getTime()).toZonedDateTimeISO(timeZone);
  return Array.from({ length: count }, (_, index) => {
    const next = local.add({ weeks: index * weeksBetween });
    return new Date(next.epochMilliseconds);
  });
}

function seriesNotBookable(failures: FailingOccurrence[], occurrences: number): ProblemException {
  return new ProblemException(
    'series-not-bookable',
    `${failures.length} of ${occurrences} occurrences cannot be booked, so none was.`,
    {
      errors: failures.map((failure) => ({
        field: `occurrences[${failure.index}]`,
        message: `${failure.date}: ${failure.reason}`,
      })),
      extensions: { failing_occurrences: failures },
    },
  );
}
