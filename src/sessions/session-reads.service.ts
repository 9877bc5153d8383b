import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { AuditService } from '../audit/audit.service.js';
import { notFoundProblem, validationProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { resolveDateRange } from '../common/time/date-range.js';
import type { ListSessionsQuery } from './dto/session.dto.js';
import type { SessionEvent } from './session-event.entity.js';
import { SessionEventRepository } from './session-event.repository.js';
import type { SessionSeries } from './session-series.entity.js';
import { SessionSeriesRepository } from './session-series.repository.js';
import { decodeCursor } from './session-list.cursor.js';
import { SessionRepository, type SessionListPage, type SessionWithPeople } from './session.repository.js';

/**
 * Finding sessions: the list with its filters, one session, its history, a calendar's window; a therapist finds
 * only their own (another's answers 404, as if it did not exist).
 */
@Injectable()
export class SessionReadsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly events: SessionEventRepository,
    private readonly series: SessionSeriesRepository,
    private readonly clock: ClinicClock,
    private readonly scope: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListSessionsQuery): Promise<SessionListPage> {
    const range = resolveDateRange(query.from, query.to, this.clock.timeZone);
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort);
    if (query.cursor !== undefined && !cursor) {
      throw validationProblem([
        {
          field: 'cursor',
          message: 'cursor is not one this list gave for this sort; start from the first page',
        },
      ]);
    }
    const page = await this.sessions.findPage({
      cursor,
      ...query.toPageRequest(),
      q: query.q,
      status: query.status,
      therapistId: query.therapist_id,
      patientId: query.patient_id,
      seriesId: query.series_id,
      visibleTo: this.scope.ownTherapistId,
      ...range,
      sort: query.sort,
      order: query.order,
    });
    await this.audit.recordList(
      'session',
      {
        therapist_id: query.therapist_id,
        patient_id: query.patient_id,
        series_id: query.series_id,
        status: query.status,
        from: query.from,
        to: query.to,
        searched: query.q ? true : undefined,
        page: page.page,
        shown: page.items.length,
      },
      query.patient_id,
    );
    return page;
  }

  /** Every session of the list's filters, in its order, as a CSV stream; the export is in the audit trail. */
  async exportCsv(query: ListSessionsQuery): Promise<Readable> {
    const range = resolveDateRange(query.from, query.to, this.clock.timeZone);
    const filter = {
      q: query.q,
      status: query.status,
      therapistId: query.therapist_id,
      patientId: query.patient_id,
      seriesId: query.series_id,
      visibleTo: this.scope.ownTherapistId,
      ...range,
    };
    await this.audit.record({
      action: 'session.export',
      recordType: 'session',
      patientId: query.patient_id,
      detail: Object.fromEntries(
        Object.entries({
          format: 'csv',
          therapist_id: query.therapist_id,
          patient_id: query.patient_id,
          series_id: query.series_id,
          status: query.status,
          from: query.from,
          to: query.to,
          searched: query.q ? true : undefined,
        }).filter(([, value]) => value !== undefined),
      ),
    });
    return this.sessions.streamCsv(
      { ...filter, sort: query.sort, order: query.order },
      this.scope.ownTherapistId,
    );
  }

  /** Sessions starting within a window (a calendar week) of one therapist, or of a page of them. */
  async startingBetween(
    from: Date,
    to: Date,
    { therapistId, therapistIds }: { therapistId?: number; therapistIds?: readonly number[] },
  ): Promise<SessionWithPeople[]> {
    if (therapistIds?.length === 0) return [];
    const sessions = await this.sessions.findStartingBetween({
      from,
      to,
      therapistId,
      therapistIds,
      visibleTo: this.scope.ownTherapistId,
    });
    await this.audit.recordList('session', {
      view: 'calendar',
      therapist_id: therapistId,
      from: from.toISOString(),
      to: to.toISOString(),
      shown: sessions.length,
    });
    return sessions;
  }

  /** The therapists with a session starting in [from, to) (ids only: nothing of a patient is read). */
  therapistsWithSessionsBetween(from: Date, to: Date): Promise<number[]> {
    return this.sessions.findTherapistIdsStartingBetween(from, to, this.scope.ownTherapistId);
  }

  /** The sessions of these therapists starting in [from, to): one query, by the (therapist, start) index. */
  async ofTherapistsStartingBetween(
    therapistIds: readonly number[],
    from: Date,
    to: Date,
  ): Promise<SessionWithPeople[]> {
    if (therapistIds.length === 0) return [];
    const sessions = await this.sessions.findStartingBetween({
      from,
      to,
      therapistIds,
      visibleTo: this.scope.ownTherapistId,
    });
    await this.audit.recordList('session', {
      view: 'day',
      from: from.toISOString(),
      to: to.toISOString(),
      shown: sessions.length,
    });
    return sessions;
  }

  /** One session, for someone to read: the audit trail records who. */
  async get(id: number): Promise<SessionWithPeople> {
    const session = await this.fetch(id);
    await this.audit.recordRead('session', id, session.patient.id);
    return session;
  }

  /** A session just booked or changed, as the change's answer: the change itself is in the audit trail. */
  async fetch(id: number): Promise<SessionWithPeople> {
    const session = await this.sessions.findOneWithPeople(id, this.scope.ownTherapistId);
    if (!session) throw notFoundProblem(`Session ${id} does not exist.`);
    return session;
  }

  async fetchMany(ids: readonly number[]): Promise<SessionWithPeople[]> {
    return Promise.all(ids.map((id) => this.fetch(id)));
  }

  async history(id: number): Promise<SessionEvent[]> {
    await this.get(id);
    return this.events.findOfSession(id);
  }

  getSeries(id: number): Promise<SessionSeries> {
    return this.series.findOneOrFail(id);
  }
}
