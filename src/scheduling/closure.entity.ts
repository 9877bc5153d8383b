import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { ClosureRepository } from './closure.repository.js';
import { MAX_LABEL_LENGTH } from './time-off.entity.js';

/**
 * Days the whole clinic is closed (a public holiday), `startsOn` to `endsOn` inclusive, as calendar dates in the
 * clinic's time zone. The database refuses an end before the start, a blank name and overlapping closures.
 */
@Index({ properties: ['startsOn'] })
@Entity({ tableName: 'clinic_closure', repository: () => ClosureRepository })
export class Closure extends BaseEntity {
  [EntityRepositoryType]?: ClosureRepository;
  [OptionalProps]?: GeneratedProps;

  /** `YYYY-MM-DD` */
  @Property({ type: 'date' })
  startsOn!: string;

  /** `YYYY-MM-DD`, the last closed day. */
  @Property({ type: 'date' })
  endsOn!: string;

  @Property({ type: 'string', length: MAX_LABEL_LENGTH })
  name!: string;
}
