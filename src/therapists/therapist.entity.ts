import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { TherapistRepository } from './therapist.repository.js';

export const DEFAULT_BUFFER_MINUTES = 10;
export const MAX_BUFFER_MINUTES = 120;

// Serves the session list's sort by therapist name (one person's sessions at a time) and its cursor.
@Index({ properties: ['name', 'id'] })
@Entity({ repository: () => TherapistRepository })
export class Therapist extends BaseEntity {
  [EntityRepositoryType]?: TherapistRepository;
  [OptionalProps]?: GeneratedProps | 'specialty' | 'timeZone' | 'bufferMinutes';

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Stored lower-cased; unique across therapists. */
  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  specialty: string | null = null;

  /** IANA time zone of the therapist's working hours; the clinic's when null. */
  @Property({ type: 'text', nullable: true })
  timeZone: string | null = null;

  /** Minutes kept free between two sessions. */
  @Property({ type: 'integer' })
  bufferMinutes: number = DEFAULT_BUFFER_MINUTES;
}
