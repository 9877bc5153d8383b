import {
  EntityRepository,
  LockMode,
  type FilterQuery,
  type Loaded,
  type QueryOrderMap,
} from '@mikro-orm/postgresql';
import { offsetOf, type Page, type PageRequest, type SortOrder } from '../common/pagination/page.js';
import { containsWord, personSearchText, searchWords } from '../database/search.js';
import type { SessionSort } from './dto/session.dto.js';
import { CANCELLED_STATUSES, SessionStatus } from './session-status.js';
import type { Session } from './session.entity.js';

/** A session with the two people it is between, as every reader of a session needs them. */
export type SessionWithPeople = Loaded<Session, 'therapist' | 'patient'>;
export const WITH_PEOPLE = ['therapist', 'patient'] as const;

export interface SessionFilter {
  /** A therapist's view: only their sessions, whatever else the filter asks for. */
  visibleTo?: number;
  /** Every word in the therapist's or the patient's name or e-mail, in any order, ignoring case and accents. */
  q?: string;
  status?: SessionStatus;
  therapistId?: number;
  /** Only these therapists' sessions (the day sheet's columns). */
  therapistIds?: readonly number[];
  patientId?: number;
  seriesId?: number;
  /** Inclusive lower bound on the start time. */
  from?: Date;
  /** Exclusive upper bound on the start time. */
  to?: Date;
}

export interface SessionListCriteria extends SessionFilter, PageRequest {
  sort: SessionSort;
  order: SortOrder;
}

export interface OverlapQuery {
  therapistId?: number;
  patientId?: number;
  start: Date;
  end: Date;
  excludeId?: number;
}

export interface SessionRangeCriteria extends SessionFilter {
  from: Date;
  to: Date;
}

const SORTS: Record<SessionSort, (order: SortOrder) => QueryOrderMap<Session>> = {
  date: (order) => ({ startsAt: order }),
  status: (order) => ({ status: order }),
  therapist: (order) => ({ therapist: { name: order } }),
  patient: (order) => ({ patient: { name: order } }),
  created_at: (order) => ({ createdAt: order }),
};

export class SessionRepository extends EntityRepository<Session> {
  async findPage(criteria: SessionListCriteria): Promise<Page<SessionWithPeople>> {
    const [items, total] = await this.findAndCount(this.whereOf(criteria), {
      populate: WITH_PEOPLE,
      // Ties (same name, same status) fall back to time then id, so pages never overlap or skip rows.
      orderBy: [SORTS[criteria.sort](criteria.order), { startsAt: criteria.order }, { id: criteria.order }],
      limit: criteria.pageSize,
      offset: offsetOf(criteria),
    });
    return { items, total, page: criteria.page, pageSize: criteria.pageSize };
  }

  /** Every session starting in [from, to), in start order: a calendar's bounded window, so no pagination. */
  findStartingBetween(criteria: SessionRangeCriteria): Promise<SessionWithPeople[]> {
    return this.find(this.whereOf(criteria), {
      populate: WITH_PEOPLE,
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
  }

  findOneWithPeople(id: number, visibleTo?: number): Promise<SessionWithPeople | null> {
    return this.findOne(visibleOf({ id }, visibleTo), { populate: WITH_PEOPLE });
  }

  /**
   * A session that still takes place and overlaps [start, end) for this therapist or patient: the one a refused
   * booking collided with (the exclusion constraints decide; this only finds it to name it), or one that a
   * series occurrence would collide with.
   */
  findOverlapping(query: OverlapQuery): Promise<Session | null> {
    return this.findOne(
      {
        ...(query.therapistId ? { therapist: query.therapistId } : { patient: query.patientId }),
        status: { $nin: [...CANCELLED_STATUSES] },
        startsAt: { $lt: query.end },
        endsAt: { $gt: query.start },
        ...(query.excludeId ? { id: { $ne: query.excludeId } } : {}),
      },
      { orderBy: { startsAt: 'asc' } },
    );
  }

  /** The therapist's sessions that still take place and overlap [start, end), in start order. */
  findActiveOverlapping(query: OverlapQuery & { therapistId: number }): Promise<Session[]> {
    return this.find(
      {
        therapist: query.therapistId,
        status: { $nin: [...CANCELLED_STATUSES] },
        startsAt: { $lt: query.end },
        endsAt: { $gt: query.start },
        ...(query.excludeId ? { id: { $ne: query.excludeId } } : {}),
      },
      { orderBy: { startsAt: 'asc' } },
    );
  }

  /** The session, locked (FOR UPDATE) until the transaction ends: changes to one session queue up. */
  findForUpdate(id: number, visibleTo?: number): Promise<Session | null> {
    return this.findOne(visibleOf({ id }, visibleTo), { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** The Scheduled sessions of the series after `session`, in start order, locked like `findForUpdate`. */
  findScheduledAfterInSeries(session: Session): Promise<Session[]> {
    if (!session.series) return Promise.resolve([]);
    return this.find(
      { series: session.series, status: SessionStatus.Scheduled, startsAt: { $gt: session.startsAt } },
      { orderBy: { startsAt: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
  }

  private whereOf(criteria: SessionFilter): FilterQuery<Session> {
    const where: FilterQuery<Session> & Record<string, unknown> = {};
    if (criteria.status) where.status = criteria.status;
    if (criteria.therapistId) where.therapist = criteria.therapistId;
    if (criteria.therapistIds) where.therapist = { $in: [...criteria.therapistIds] };
    // Another therapist's filter, in a therapist's view, matches nothing.
    if (criteria.visibleTo !== undefined) where.therapist = { $in: visibleIds(criteria) };
    if (criteria.patientId) where.patient = criteria.patientId;
    if (criteria.seriesId) where.series = criteria.seriesId;
    if (criteria.from || criteria.to) {
      where.startsAt = {
        ...(criteria.from ? { $gte: criteria.from } : {}),
        ...(criteria.to ? { $lt: criteria.to } : {}),
      };
    }
    if (criteria.q) {
      // Each word in the therapist's or the patient's name or e-mail, in any order ("chen lee", "gonzalez").
      where.$and = searchWords(criteria.q).map((word) => ({
        $or: [
          { therapist: containsWord(personSearchText, word) },
          { patient: containsWord(personSearchText, word) },
        ],
      }));
    }
    return where;
  }
}

const visibleOf = (where: { id: number }, visibleTo: number | undefined): FilterQuery<Session> =>
  visibleTo === undefined ? where : { ...where, therapist: visibleTo };

const visibleIds = ({ therapistId, visibleTo }: SessionFilter): number[] =>
  therapistId && therapistId !== visibleTo ? [] : [visibleTo ?? 0];
