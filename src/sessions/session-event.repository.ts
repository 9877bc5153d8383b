import { EntityRepository } from '@mikro-orm/postgresql';
import type { SessionEvent, SessionEventType, SessionSnapshot } from './session-event.entity.js';
import type { Session } from './session.entity.js';

export interface SessionChange {
  before?: SessionSnapshot | null;
  after?: SessionSnapshot | null;
  reason?: string | null;
  /** Now, unless the change is history already (the demo data). */
  occurredAt?: Date;
}

export class SessionEventRepository extends EntityRepository<SessionEvent> {
  /** Appends a change to the session's history; it is written with the change, in the same flush. */
  record(session: Session, type: SessionEventType, change: SessionChange): SessionEvent {
    const { before = null, after = null, reason = null, occurredAt } = change;
    return this.create({ session, type, before, after, reason, ...(occurredAt && { occurredAt }) });
  }

  findOfSession(sessionId: number): Promise<SessionEvent[]> {
    return this.find({ session: sessionId }, { orderBy: { id: 'asc' }, populate: ['actor'] });
  }
}
