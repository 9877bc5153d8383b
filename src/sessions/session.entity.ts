import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { Patient } from '../patients/patient.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { SessionSeries } from './session-series.entity.js';
import { SessionStatus } from './session-status.js';
import { SessionRepository } from './session.repository.js';

export const DEFAULT_DURATION_MINUTES = 50;
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 240;
export const MAX_NOTES_LENGTH = 2000;

// The lists' indexes: by date, and by status, therapist, patient or series then date; by creation. Each ends in
// the id, the tie-breaker of every sort, so a cursor `(key, id) > (…)` reads them in order without a sort.
@Index({ properties: ['startsAt', 'id'] })
@Index({ properties: ['status', 'startsAt', 'id'] })
@Index({ properties: ['therapist', 'startsAt', 'id'] })
@Index({ properties: ['patient', 'startsAt', 'id'] })
@Index({ properties: ['series', 'startsAt', 'id'] })
@Index({ properties: ['createdAt', 'id'] })
@Entity({ tableName: 'therapy_session', repository: () => SessionRepository })
export class Session extends BaseEntity {
  [EntityRepositoryType]?: SessionRepository;
  [OptionalProps]?:
    | GeneratedProps
    | 'durationMinutes'
    | 'status'
    | 'notes'
    | 'version'
    | 'endsAt'
    | 'statusReason'
    | 'series'
    | 'checkedInAt';

  @ManyToOne(() => Therapist, { ref: true })
  therapist!: Ref<Therapist>;

  @ManyToOne(() => Patient, { ref: true })
  patient!: Ref<Patient>;

  /** Start of the session (the API calls it `date`). */
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'integer' })
  durationMinutes: number = DEFAULT_DURATION_MINUTES;

  @Enum({ items: () => SessionStatus })
  status: SessionStatus = SessionStatus.Scheduled;

  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  /** Why it was cancelled; required by the database for Cancelled and Late-Cancelled. */
  @Property({ type: 'text', nullable: true })
  statusReason: string | null = null;

  /** When the patient arrived (checked in at the desk); null until then. Not a status of its own. */
  @Property({ type: 'datetime', nullable: true })
  checkedInAt: Date | null = null;

  @ManyToOne(() => SessionSeries, { ref: true, nullable: true, deleteRule: 'no action' })
  series: Ref<SessionSeries> | null = null;

  /** Bumped by the ORM on every update; compared on flush (optimistic locking). */
  @Property({ version: true })
  version!: number;

  /**
   * The end, as PostgreSQL works it out (generated column, `session_end()`), which its overlap constraints use;
   * MikroORM reads it back after every insert and update. A time not yet stored is `endOf()` in booking-rules.
   */
  @Property({ type: 'datetime', generated: 'session_end(starts_at, duration_minutes) stored' })
  endsAt!: Date;
}
