import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { PatientRepository } from './patient.repository.js';

// Serves the session list's sort by patient name (one person's sessions at a time) and its cursor.
@Index({ properties: ['name', 'id'] })
@Entity({ repository: () => PatientRepository })
export class Patient extends BaseEntity {
  [EntityRepositoryType]?: PatientRepository;
  [OptionalProps]?: GeneratedProps | 'email' | 'phone' | 'dateOfBirth';

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Optional, stored lower-cased, unique when present. */
  @Property({ type: 'string', length: 254, nullable: true, unique: true })
  email: string | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  phone: string | null = null;

  /** A calendar date (`YYYY-MM-DD`), not an instant. */
  @Property({ type: 'date', nullable: true })
  dateOfBirth: string | null = null;
}
