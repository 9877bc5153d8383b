import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType, EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { Patient } from '../patients/patient.entity.js';
import { Session } from '../sessions/session.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { WaitlistEntryRepository } from './waitlist-entry.repository.js';

export const MAX_WAITLIST_NOTES_LENGTH = 2000;
export const CLOSED_REASONS = ['booked', 'removed'] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

/**
 * A patient waiting for a slot between two calendar days of the clinic (inclusive), with any therapist (`null`)
 * or one; optionally on some ISO weekdays (1 = Monday) and within a local time of day. Closed once booked (with
 * the session) or removed, and kept as a record.
 */
@Index({ properties: ['patient'] })
@Index({ properties: ['therapist'] })
@Index({ properties: ['session'] })
@Entity({ tableName: 'waitlist_entry', repository: () => WaitlistEntryRepository })
export class WaitlistEntry extends BaseEntity {
  [EntityRepositoryType]?: WaitlistEntryRepository;
  [OptionalProps]?:
    | GeneratedProps
    | 'therapist'
    | 'weekdays'
    | 'timeFrom'
    | 'timeTo'
    | 'notes'
    | 'closedAt'
    | 'closedReason'
    | 'session';

  @ManyToOne(() => Patient, { ref: true, deleteRule: 'cascade' })
  patient!: Ref<Patient>;

  @ManyToOne(() => Therapist, { ref: true, nullable: true, deleteRule: 'set null' })
  therapist: Ref<Therapist> | null = null;

  /** `YYYY-MM-DD` */
  @Property({ type: 'date' })
  earliestDate!: string;

  /** `YYYY-MM-DD`, the last day that would still do. */
  @Property({ type: 'date' })
  latestDate!: string;

  /** ISO weekdays that suit the patient, ascending; null for any day. */
  @Property({
    type: new ArrayType<number>((value) => Number(value)),
    columnType: 'smallint[]',
    nullable: true,
  })
  weekdays: number[] | null = null;

  /** Local time of day, `HH:MM:SS`: the session starts no earlier. */
  @Property({ type: 'time', length: 0, nullable: true })
  timeFrom: string | null = null;

  /** Local time of day, `HH:MM:SS`: the session ends no later. */
  @Property({ type: 'time', length: 0, nullable: true })
  timeTo: string | null = null;

  /** Health data: shown to staff, never logged. */
  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  closedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  closedReason: ClosedReason | null = null;

  /** The session booked from this entry. */
  @ManyToOne(() => Session, { ref: true, nullable: true, deleteRule: 'set null' })
  session: Ref<Session> | null = null;
}
