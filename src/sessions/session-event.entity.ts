import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { SessionEventRepository } from './session-event.repository.js';
import { User } from '../access/user.entity.js';
import { Session } from './session.entity.js';

export enum SessionEventType {
  Created = 'created',
  StatusChanged = 'status_changed',
  Rescheduled = 'rescheduled',
  NotesChanged = 'notes_changed',
  CheckedIn = 'checked_in',
  CheckInUndone = 'check_in_undone',
}

/** The fields a history entry records before and after a change. */
export type SessionSnapshot = Record<string, string | number | null>;

/** One change to a session, appended in the same transaction as the change itself. */
@Index({ name: 'session_event_session_id_index', properties: ['session', 'id'] })
@Entity({ tableName: 'session_event', repository: () => SessionEventRepository })
export class SessionEvent {
  [EntityRepositoryType]?: SessionEventRepository;
  [OptionalProps]?: 'occurredAt' | 'before' | 'after' | 'reason' | 'actor';

  @PrimaryKey({ type: 'bigint', generated: 'by default as identity' })
  id!: string;

  @ManyToOne(() => Session, { ref: true })
  session!: Ref<Session>;

  @Property({ type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() })
  occurredAt!: Date;

  @Enum({ items: () => SessionEventType })
  type!: SessionEventType;

  @Property({ type: 'json', nullable: true })
  before: SessionSnapshot | null = null;

  @Property({ type: 'json', nullable: true })
  after: SessionSnapshot | null = null;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  /** The user who made the change; null for the demo data and changes made outside a request. */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'restrict' })
  actor: Ref<User> | null = null;
}
