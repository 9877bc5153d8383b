import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { TimeOffRepository } from './time-off.repository.js';

export const MAX_LABEL_LENGTH = 200;

/**
 * A stretch of time a therapist cannot be booked (a holiday, a sick day): [startsAt, endsAt). The database refuses
 * an end before the start, a blank reason and two overlapping stretches of one therapist.
 */
@Index({ properties: ['therapist', 'startsAt'] })
@Entity({ tableName: 'therapist_time_off', repository: () => TimeOffRepository })
export class TimeOff extends BaseEntity {
  [EntityRepositoryType]?: TimeOffRepository;
  [OptionalProps]?: GeneratedProps;

  @ManyToOne(() => Therapist, { ref: true, deleteRule: 'cascade' })
  therapist!: Ref<Therapist>;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'string', length: MAX_LABEL_LENGTH })
  reason!: string;
}
