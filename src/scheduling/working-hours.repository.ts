import { EntityRepository } from '@mikro-orm/postgresql';
import type { WorkingHours } from './working-hours.entity.js';
import type { WeeklyInterval } from './working-hours.js';

export class WorkingHoursRepository extends EntityRepository<WorkingHours> {
  /** A therapist's week, Monday first, each day's intervals in order. */
  findOfTherapist(therapistId: number): Promise<WorkingHours[]> {
    return this.find({ therapist: therapistId }, { orderBy: { weekday: 'asc', startMinute: 'asc' } });
  }

  /** The weeks of several therapists, each day's intervals in order. */
  findOfTherapists(therapistIds: readonly number[]): Promise<WorkingHours[]> {
    if (therapistIds.length === 0) return Promise.resolve([]);
    return this.find(
      { therapist: { $in: [...therapistIds] } },
      { orderBy: { weekday: 'asc', startMinute: 'asc' } },
    );
  }

  async replaceOfTherapist(therapistId: number, intervals: readonly WeeklyInterval[]): Promise<void> {
    await this.nativeDelete({ therapist: therapistId });
    for (const interval of intervals) this.create({ therapist: therapistId, ...interval });
    await this.getEntityManager().flush();
  }

  findOneOfTherapist(therapistId: number, intervalId: number): Promise<WorkingHours | null> {
    return this.findOne({ id: intervalId, therapist: therapistId });
  }

  /** Whether the therapist had that interval (and now has it no more). */
  async removeOfTherapist(therapistId: number, intervalId: number): Promise<boolean> {
    return (await this.nativeDelete({ id: intervalId, therapist: therapistId })) > 0;
  }
}
