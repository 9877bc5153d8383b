import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { Clock } from '../common/time/clock.js';
import { MINUTE, type TimeSpan } from '../scheduling/schedule-rules.js';
import { AvailabilityService } from './availability.service.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

/** How many free starts a refusal offers, and how far ahead of the refused time they are looked for. */
export const SUGGESTIONS = 3;
const SEARCH_DAYS = 14;

/** What was asked for: whose time, when, and the session being moved (which is not in its own way). */
export interface ConflictContext {
  therapistId: number;
  span: TimeSpan;
  excludeId?: number;
}

export type Whose = 'therapist' | 'patient';

/** The session in the way, as a refusal names it (API field `conflicting_session`). */
export interface ConflictingSession {
  id: number;
  href: string;
  date: string;
  ends_at: string;
  therapist: { id: number; name: string };
  patient: { id: number; name: string };
}

/** A free start offered instead (API field `suggestions`). */
export interface Suggestion {
  date: string;
  ends_at: string;
}

/**
 * Refusals that help: the session in the way named in words (people and clinic time, never an id) with a link
 * to it, and the therapist's next free starts for the same length, from the availability rules.
 */
@Injectable()
export class BookingConflicts {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly availability: AvailabilityService,
    private readonly clinic: ClinicClock,
    private readonly clock: Clock,
    private readonly scope: AccessScope,
  ) {}

  /** The overlap the database refused, `whose` time it was. */
  async overlap(whose: Whose, context: ConflictContext & { patientId: number }): Promise<ProblemException> {
    const { span, excludeId } = context;
    const overlapping = await this.sessions.findOverlapping({
      ...(whose === 'therapist' ? { therapistId: context.therapistId } : { patientId: context.patientId }),
      start: span.start,
      end: span.end,
      excludeId,
    });
    const conflicting = overlapping && (await this.withPeople(overlapping.id));
    const sentence = conflicting
      ? whose === 'therapist'
        ? `${conflicting.therapist.$.name} already sees ${conflicting.patient.$.name} ${this.when(conflicting, span)}`
        : `${conflicting.patient.$.name} already has a session with ${conflicting.therapist.$.name} ${this.when(conflicting, span)}`
      : `The ${whose} already has a session at that time`;
    return this.problem('session-overlap', sentence, conflicting, context);
  }

  /** A refusal by the scheduling rules (working hours, buffer), reworded when it names a session in the way. */
  async explained(problem: ProblemException, context: ConflictContext): Promise<ProblemException> {
    const named = problem.extensions.conflicting_session as { id?: unknown } | undefined;
    const conflicting = typeof named?.id === 'number' ? await this.withPeople(named.id) : null;
    const sentence = conflicting
      ? `${conflicting.therapist.$.name} keeps ${conflicting.therapist.$.bufferMinutes} minutes free between ` +
        `sessions and sees ${conflicting.patient.$.name} ${this.when(conflicting, context.span)}`
      : (problem.errors[0]?.message ?? problem.message);
    return this.problem(
      problem.problemType,
      sentence,
      conflicting,
      context,
      conflicting ? undefined : problem,
    );
  }

  private async problem(
    type: ProblemException['problemType'],
    sentence: string,
    conflicting: SessionWithPeople | null,
    context: ConflictContext,
    original?: ProblemException,
  ): Promise<ProblemException> {
    const suggestions = await this.suggestions(context);
    return new ProblemException(type, original?.message ?? `${sentence}.`, {
      errors: [{ field: 'date', message: sentence }],
      extensions: {
        ...(conflicting ? { conflicting_session: conflictingSession(conflicting) } : {}),
        suggestions,
      },
    });
  }

  private async withPeople(id: number): Promise<SessionWithPeople | null> {
    return this.sessions.findOneWithPeople(id, this.scope.ownTherapistId);
  }

  /** `10:00–10:50 that day`, or with the date when the session in the way is on another day. */
  private when(session: SessionWithPeople, asked: TimeSpan): string {
    const times = `${this.clinic.time(session.startsAt)}–${this.clinic.time(session.endsAt)}`;
    return this.clinic.date(session.startsAt) === this.clinic.date(asked.start)
      ? `${times} that day`
      : `${times} on ${this.clinic.date(session.startsAt)}`;
  }

  /** The next free starts of the same length, from the refused time (or now) on. */
  private async suggestions({ therapistId, span, excludeId }: ConflictContext): Promise<Suggestion[]> {
    const from = new Date(Math.max(span.start.getTime(), this.clock.now().getTime()));
    const to = new Date(from.getTime() + SEARCH_DAYS * 24 * 60 * MINUTE);
    const minutes = Math.round((span.end.getTime() - span.start.getTime()) / MINUTE);
    const { slots } = await this.availability.freeSlots(therapistId, from, to, minutes, excludeId);
    return slots
      .slice(0, SUGGESTIONS)
      .map((slot) => ({ date: slot.start.toISOString(), ends_at: slot.end.toISOString() }));
  }
}

const conflictingSession = (session: SessionWithPeople): ConflictingSession => ({
  id: session.id,
  href: `/sessions/${session.id}`,
  date: session.startsAt.toISOString(),
  ends_at: session.endsAt.toISOString(),
  therapist: { id: session.therapist.id, name: session.therapist.$.name },
  patient: { id: session.patient.id, name: session.patient.$.name },
});
