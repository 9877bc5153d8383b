import { EntityRepository } from '@mikro-orm/postgresql';
import type { WorkingHours } from './working-hours.entity.js';
import type { WeeklyInterval } from './working-hours.js';

/** A therapist with one interval of their week (none: `weekday` null), as `findWeeks` reads them. */
export interface WeekRow {
  id: number;
  name: string;
  time_zone: string | null;
  weekday: number | null;
  start_minute: number | null;
  end_minute: number | null;
}

export class WorkingHoursRepository extends EntityRepository<WorkingHours> {
  /**
   * Every therapist (or only `therapistId`) by name, with each interval of their week as plain rows: a day sheet
   * works out from them who is at work, and hydrating 200 therapists and 1 000 intervals per request was most of
   * its time at that size.
   */
  findWeeks(therapistId?: number): Promise<WeekRow[]> {
    return this.getEntityManager().execute<WeekRow[]>(
      `select t.id, t.name, t.time_zone, w.weekday, w.start_minute, w.end_minute
         from therapist t left join working_hours w on w.therapist_id = t.id
        ${therapistId === undefined ? '' : 'where t.id = ?'}
        order by t.name, t.id, w.weekday, w.start_minute`,
      therapistId === undefined ? [] : [therapistId],
    );
  }

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
