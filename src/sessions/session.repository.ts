import { EntityRepository, LockMode, type FilterQuery, type Loaded } from '@mikro-orm/postgresql';
import { finished, type Readable } from 'node:stream';
import { CompiledQuery } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { offsetOf, type Page, type PageRequest, type SortOrder } from '../common/pagination/page.js';
import { containsWord, personSearchText, searchWords } from '../database/search.js';
import type { SessionSort } from './dto/session.dto.js';
import { CANCELLED_STATUSES, SessionStatus } from './session-status.js';
import { ROW_SECURITY_ROLE } from '../access/row-security.js';
import type { Session } from './session.entity.js';
import {
  EXACT_TOTAL_LIMIT,
  estimateOf,
  sessionCappedCountQuery,
  sessionCsvCopy,
  sessionEstimateQuery,
  sessionRowsQuery,
  type ListCursor,
  type SessionListRow,
  type Statement,
} from './session-list.sql.js';
import { pageOfRows } from './session-list.cursor.js';

/** The longest a CSV export may stream (a million rows take seconds; a client that reads slower is cut off). */
const EXPORT_TIMEOUT_MS = 10 * 60_000;

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
  cursor?: ListCursor;
}

/** A page of the list: plain rows (no entities), its total, and the cursors of the pages around it. */
export interface SessionListPage extends Page<SessionListRow> {
  /** The planner's estimate rather than a count: there are more than `EXACT_TOTAL_LIMIT` matches. */
  totalIsEstimate: boolean;
  next?: string;
  prev?: string;
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

/** The two statements of a list page, as `findPage` runs them (and the plan test explains them). */
export function pageStatements(criteria: SessionListCriteria): { rows: Statement; count: Statement } {
  const offset = criteria.cursor ? undefined : offsetOf(criteria);
  return {
    rows: sessionRowsQuery({ ...criteria, limit: criteria.pageSize + 1, offset }),
    count: sessionCappedCountQuery(criteria),
  };
}

export class SessionRepository extends EntityRepository<Session> {
  /**
   * The list's one statement for the rows (people's names joined, one more row than the page to know whether
   * another follows) and, in parallel, a count capped just past `EXACT_TOTAL_LIMIT`; only a capped count asks
   * the planner for its estimate.
   */
  async findPage(criteria: SessionListCriteria): Promise<SessionListPage> {
    const offset = criteria.cursor ? undefined : offsetOf(criteria);
    const statements = pageStatements(criteria);
    const [fetched, counted] = await Promise.all([
      this.rows<SessionListRow>(statements.rows),
      this.rows<{ count: number }>(statements.count),
    ]);
    const exact = counted[0]?.count ?? 0;
    const totalIsEstimate = exact > EXACT_TOTAL_LIMIT;
    const total = totalIsEstimate
      ? Math.max(exact, estimateOf(await this.rows(sessionEstimateQuery(criteria))))
      : exact;
    const page = pageOfRows(fetched, { ...criteria, offset });
    return {
      items: page.rows,
      total,
      totalIsEstimate,
      page: criteria.page,
      pageSize: criteria.pageSize,
      next: page.next,
      prev: page.prev,
    };
  }

  /**
   * Every session of the filter as CSV, streamed by `COPY … TO STDOUT` from a connection of its own (read-only
   * transaction, held until the stream ends or is abandoned): rows flow at the pace the client reads them, so
   * the process holds a few chunks, never the list. A therapist's stream runs under row-level security too.
   */
  async streamCsv(
    criteria: SessionFilter & { sort: SessionSort; order: SortOrder },
    therapistId: number | undefined,
  ): Promise<Readable> {
    const connection = this.getEntityManager().getConnection() as PostgreSqlConnection;
    const client = await (await connection.getNativeClient()).connect();
    try {
      await client.query('begin transaction read only');
      // A whole list takes longer than the pool's per-statement bound (seconds): both sides get the export's own.
      await client.query(`set local statement_timeout = ${EXPORT_TIMEOUT_MS}`);
      if (therapistId !== undefined) {
        await client.query(
          `select set_config('app.therapist_id', $1, true), set_config('app.role', 'therapist', true),
                  case when pg_has_role(current_user, r.oid, 'member') then set_config('role', r.rolname, true) end
           from pg_roles r where r.rolname = $2`,
          [String(therapistId), ROW_SECURITY_ROLE],
        );
      }
      const copy = copyTo(sessionCsvCopy(criteria, (text) => client.escapeLiteral(text)));
      const stream = client.query(Object.assign(copy, { query_timeout: EXPORT_TIMEOUT_MS }));
      finished(stream, (error) => {
        if (error) {
          client.release(error);
          return;
        }
        client.query('commit').then(
          () => {
            client.release();
          },
          (failed: unknown) => {
            client.release(failed instanceof Error ? failed : true);
          },
        );
      });
      return stream;
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  /** Runs one of the list's statements on the request's connection (its transaction, under row security). */
  private async rows<T>(statement: Statement): Promise<T[]> {
    const result = await this.getEntityManager()
      .getKysely()
      .executeQuery<T>(CompiledQuery.raw(statement.sql, statement.params));
    return result.rows;
  }

  /** Every session starting in [from, to), in start order: a calendar's bounded window, so no pagination. */
  findStartingBetween(criteria: SessionRangeCriteria): Promise<SessionWithPeople[]> {
    return this.find(this.whereOf(criteria), {
      populate: WITH_PEOPLE,
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Who has a session starting in [from, to): the therapists a day sheet shows besides those at work. */
  async findTherapistIdsStartingBetween(from: Date, to: Date, visibleTo?: number): Promise<number[]> {
    const rows = await this.rows<{ therapist_id: number }>({
      sql:
        'select distinct therapist_id from therapy_session where starts_at >= $1 and starts_at < $2' +
        (visibleTo === undefined ? '' : ' and therapist_id = $3'),
      params: visibleTo === undefined ? [from, to] : [from, to, visibleTo],
    });
    return rows.map((row) => row.therapist_id);
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
