import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import type { Page } from '../common/pagination/page.js';
import { notFoundProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { resolveDateRange } from '../common/time/date-range.js';
import type { ListSessionsQuery } from './dto/session.dto.js';
import type { SessionEvent } from './session-event.entity.js';
import { SessionEventRepository } from './session-event.repository.js';
import type { SessionSeries } from './session-series.entity.js';
import { SessionSeriesRepository } from './session-series.repository.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

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
  ) {}

  list(query: ListSessionsQuery): Promise<Page<SessionWithPeople>> {
    const range = resolveDateRange(query.from, query.to, this.clock.timeZone);
    return this.sessions.findPage({
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
  }

  /** Sessions starting within a window (a calendar week), optionally of one therapist. */
  startingBetween(from: Date, to: Date, therapistId?: number): Promise<SessionWithPeople[]> {
    return this.sessions.findStartingBetween({ from, to, therapistId, visibleTo: this.scope.ownTherapistId });
  }

  async get(id: number): Promise<SessionWithPeople> {
    const session = await this.sessions.findOneWithPeople(id, this.scope.ownTherapistId);
    if (!session) throw notFoundProblem(`Session ${id} does not exist.`);
    return session;
  }

  async getMany(ids: readonly number[]): Promise<SessionWithPeople[]> {
    return Promise.all(ids.map((id) => this.get(id)));
  }

  async history(id: number): Promise<SessionEvent[]> {
    await this.get(id);
    return this.events.findOfSession(id);
  }

  getSeries(id: number): Promise<SessionSeries> {
    return this.series.findOneOrFail(id);
  }
}
