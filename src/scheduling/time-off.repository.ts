import { EntityRepository } from '@mikro-orm/postgresql';
import type { TimeOff } from './time-off.entity.js';

export class TimeOffRepository extends EntityRepository<TimeOff> {
  /** The therapists' time off that overlaps [start, end), in start order. */
  findOverlapping(therapistIds: readonly number[], start: Date, end: Date): Promise<TimeOff[]> {
    if (therapistIds.length === 0) return Promise.resolve([]);
    return this.find(
      { therapist: { $in: [...therapistIds] }, startsAt: { $lt: end }, endsAt: { $gt: start } },
      { orderBy: { startsAt: 'asc', id: 'asc' } },
    );
  }

  /** A therapist's time off that has not ended by `from`, soonest first. */
  findOfTherapist(therapistId: number, from: Date): Promise<TimeOff[]> {
    return this.find(
      { therapist: therapistId, endsAt: { $gt: from } },
      { orderBy: { startsAt: 'asc', id: 'asc' }, limit: 200 },
    );
  }

  findOneOfTherapist(therapistId: number, id: number): Promise<TimeOff | null> {
    return this.findOne({ id, therapist: therapistId });
  }

  /** Whether the therapist had it (and now has it no more). */
  async removeOfTherapist(therapistId: number, id: number): Promise<boolean> {
    return (await this.nativeDelete({ id, therapist: therapistId })) > 0;
  }
}
