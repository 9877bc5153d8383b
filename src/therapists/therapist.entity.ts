import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { TherapistRepository } from './therapist.repository.js';

@Entity({ repository: () => TherapistRepository })
export class Therapist extends BaseEntity {
  [EntityRepositoryType]?: TherapistRepository;
  [OptionalProps]?: GeneratedProps | 'specialty';

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Stored lower-cased; unique across therapists. */
  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  specialty: string | null = null;
}
