import { EntityRepository, raw, type FilterQuery } from '@mikro-orm/postgresql';
import { offsetOf, type Page, type PageRequest } from '../common/pagination/page.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';

/** Which open entries a list shows; `ownTherapistId` limits a therapist to the entries naming them. */
export interface WaitlistFilter {
  therapistId?: number;
  patientId?: number;
  ownTherapistId?: number;
}

/** A slot as the clinic's calendar reads it, and as an instant range for the patient's other sessions. */
export interface WaitlistSlot {
  therapistId: number;
  start: Date;
  end: Date;
  /** `YYYY-MM-DD` in the clinic's zone */
  date: string;
  /** ISO weekday of `date` */
  weekday: number;
  /** `HH:MM` local */
  startTime: string;
  /** `HH:MM` local; `24:00` when the slot ends on a later day */
  endTime: string;
}

const POPULATE = ['patient', 'therapist'] as const;
const OLDEST_FIRST = { createdAt: 'asc', id: 'asc' } as const;

export class WaitlistEntryRepository extends EntityRepository<WaitlistEntry> {
  async findOpenPage(filter: WaitlistFilter, page: PageRequest): Promise<Page<WaitlistEntry>> {
    const where: FilterQuery<WaitlistEntry> = { closedAt: null };
    if (filter.patientId !== undefined) where.patient = filter.patientId;
    if (filter.therapistId !== undefined) where.therapist = filter.therapistId;
    if (filter.ownTherapistId !== undefined) {
      if (filter.therapistId !== undefined && filter.therapistId !== filter.ownTherapistId) {
        return { items: [], total: 0, ...page };
      }
      where.therapist = filter.ownTherapistId;
    }
    const [items, total] = await this.findAndCount(where, {
      populate: POPULATE,
      orderBy: OLDEST_FIRST,
      limit: page.pageSize,
      offset: offsetOf(page),
    });
    return { items, total, ...page };
  }

  /** Whether any open entry takes in this day: a sheet with none looks no further. */
  async anyOpenOn(date: string, ownTherapistId?: number): Promise<boolean> {
    const where: FilterQuery<WaitlistEntry> = {
      closedAt: null,
      earliestDate: { $lte: date },
      latestDate: { $gte: date },
    };
    if (ownTherapistId !== undefined) where.therapist = ownTherapistId;
    return (await this.count(where)) > 0;
  }

  /** Row lock until the transaction ends (outside one, only for the statement). */
  async lock(id: number): Promise<void> {
    await this.em.execute('select 1 from "waitlist_entry" where "id" = ? for update', [id]);
  }

  findWithPeople(id: number, ownTherapistId?: number): Promise<WaitlistEntry | null> {
    const where: FilterQuery<WaitlistEntry> = { id };
    if (ownTherapistId !== undefined) where.therapist = ownTherapistId;
    // Fresh from the database: after a lock, a copy in the identity map may predate the change waited for.
    return this.findOne(where, { populate: POPULATE, refresh: true });
  }

  /**
   * Open entries the slot suits, longest waiting first: any therapist or this one, the day within their dates, a
   * preferred weekday and time window if they gave any, and no session of the patient's own at that time.
   */
  findMatches(slot: WaitlistSlot, ownTherapistId?: number, limit = 50): Promise<WaitlistEntry[]> {
    const therapist: FilterQuery<WaitlistEntry> =
      ownTherapistId !== undefined
        ? { therapist: ownTherapistId }
        : { $or: [{ therapist: null }, { therapist: slot.therapistId }] };
    return this.find(
      {
        closedAt: null,
        earliestDate: { $lte: slot.date },
        latestDate: { $gte: slot.date },
        $and: [
          therapist,
          {
            $or: [{ weekdays: null }, { [raw((alias) => `? = any(${alias}.weekdays)`, [slot.weekday])]: [] }],
          },
          { $or: [{ timeFrom: null }, { timeFrom: { $lte: slot.startTime } }] },
          { $or: [{ timeTo: null }, { timeTo: { $gte: slot.endTime } }] },
          {
            [raw(
              (alias) =>
                `not exists (select from therapy_session s where s.patient_id = ${alias}.patient_id
                   and s.status not in ('Cancelled', 'Late-Cancelled')
                   and tstzrange(s.starts_at, s.ends_at) && tstzrange(?, ?))`,
              [slot.start, slot.end],
            )]: [],
          },
        ],
      },
      { populate: POPULATE, orderBy: OLDEST_FIRST, limit },
    );
  }
}
