import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessScope } from '../access/access-scope.js';
import { ProblemException, notFoundProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { Clock } from '../common/time/clock.js';
import { SessionEventType } from './session-event.entity.js';
import { SessionEventRepository } from './session-event.repository.js';
import { SessionReadsService } from './session-reads.service.js';
import { SessionStatus } from './session-status.js';
import type { Session } from './session.entity.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

/** Statuses whose patient cannot arrive any more: the session is off, or it was missed. */
const NOT_CHECKABLE: readonly SessionStatus[] = [
  SessionStatus.Cancelled,
  SessionStatus.LateCancelled,
  SessionStatus.NoShow,
];

/**
 * The front desk's check-in: when the patient arrived, on the day of their session, with an entry in its history;
 * undoing it clears the time (and says so in the history). Repeating either changes nothing.
 */
@Injectable()
export class SessionCheckInService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionRepository,
    private readonly events: SessionEventRepository,
    private readonly reads: SessionReadsService,
    private readonly scope: AccessScope,
    private readonly clock: Clock,
    private readonly clinic: ClinicClock,
  ) {}

  async checkIn(id: number): Promise<SessionWithPeople> {
    await this.em.transactional(async (em) => {
      const session = await this.locked(id);
      if (session.checkedInAt) return;
      const now = this.clock.now();
      assertCheckable(session, now, this.clinic);
      session.checkedInAt = now;
      this.events.record(session, SessionEventType.CheckedIn, {
        after: { checked_in_at: now.toISOString() },
      });
      await em.flush();
    });
    return this.reads.fetch(id);
  }

  async undo(id: number): Promise<SessionWithPeople> {
    await this.em.transactional(async (em) => {
      const session = await this.locked(id);
      if (!session.checkedInAt) return;
      this.events.record(session, SessionEventType.CheckInUndone, {
        before: { checked_in_at: session.checkedInAt.toISOString() },
      });
      session.checkedInAt = null;
      await em.flush();
    });
    return this.reads.fetch(id);
  }

  private async locked(id: number): Promise<Session> {
    const session = await this.sessions.findForUpdate(id, this.scope.ownTherapistId);
    if (!session) throw notFoundProblem(`Session ${id} does not exist.`);
    return session;
  }
}

/** Whether the patient may check in now: the session takes place, and today (in the clinic's time zone). */
export const checkInRefusal = (
  session: Pick<Session, 'status' | 'startsAt'>,
  now: Date,
  clinic: ClinicClock,
): string | undefined => {
  if (NOT_CHECKABLE.includes(session.status)) {
    return `A ${session.status} session cannot be checked in.`;
  }
  if (!clinic.localDate(session.startsAt).equals(clinic.localDate(now))) {
    return `Check-in is on the day of the session, ${clinic.date(session.startsAt)}.`;
  }
  return undefined;
};

function assertCheckable(session: Session, now: Date, clinic: ClinicClock): void {
  const refusal = checkInRefusal(session, now, clinic);
  if (refusal) {
    throw new ProblemException('conflict', refusal, {
      errors: [{ field: 'checked_in_at', message: refusal }],
      extensions: { current_status: session.status },
    });
  }
}
