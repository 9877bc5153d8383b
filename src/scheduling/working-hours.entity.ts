import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, type Ref } from '@mikro-orm/core';
import { Therapist } from '../therapists/therapist.entity.js';
import { WorkingHoursRepository } from './working-hours.repository.js';

/**
 * One interval of a therapist's weekly working hours, in the therapist's own time zone: ISO weekday (1 = Monday)
 * and minutes after local midnight. The database refuses overlapping intervals on one day.
 */
@Entity({ tableName: 'working_hours', repository: () => WorkingHoursRepository })
export class WorkingHours {
  [EntityRepositoryType]?: WorkingHoursRepository;

  @PrimaryKey({ generated: 'by default as identity' })
  id!: number;

  @ManyToOne(() => Therapist, { ref: true, deleteRule: 'cascade' })
  therapist!: Ref<Therapist>;

  @Property({ type: 'integer' })
  weekday!: number;

  @Property({ type: 'integer' })
  startMinute!: number;

  @Property({ type: 'integer' })
  endMinute!: number;
}
