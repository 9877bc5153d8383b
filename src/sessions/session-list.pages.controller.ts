import { Controller, Get, Query, Req, type StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { csvFile } from '../common/http/csv.js';
import { ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, PageView } from '../common/web/page.js';
import { PatientsService } from '../patients/patients.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import { ListSessionsQuery } from './dto/session.dto.js';
import {
  EMPTY_SESSION_PAGE,
  invalidSessionListState,
  sessionFilterChoices,
  sessionListState,
  toSessionListView,
  type SessionFilterChoices,
  type SessionListView,
} from './session-list.view.js';
import { SessionPolicy } from './session-policy.js';
import { openingSessionQuery } from './session-presets.js';
import type { SessionListPage } from './session.repository.js';
import { sessionViewContext, type SessionListState } from './session.view.js';
import { SessionReadsService } from './session-reads.service.js';
import { Roles } from '../access/access.decorators.js';

/** The sessions list: filters, search, sort and pages; the whole page, or the results for htmx. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('sessions')
export class SessionListPagesController {
  constructor(
    private readonly reads: SessionReadsService,
    private readonly therapists: TherapistsService,
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
    private readonly policy: SessionPolicy,
  ) {}

  /** Parameters that are not valid, or a range the service refuses, show the page with their messages (400). */
  @Get()
  @Page('sessions/index', 'sessions/_results')
  async list(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView<SessionListView>> {
    const opening = openingSessionQuery(raw, this.clock.today());
    const parsed = await validateInput(ListSessionsQuery, withoutEmptyValues(opening));
    const state = parsed.ok ? sessionListState(parsed.value) : invalidSessionListState(raw);
    const { page, errors } = parsed.ok
      ? await this.read(parsed.value)
      : { page: EMPTY_SESSION_PAGE, errors: parsed.errors };
    const context = sessionViewContext(this.clock, this.policy);
    const choices = isHtmx(request) ? undefined : await this.filterChoices(state);
    const view = toSessionListView(page, state, context, errors, choices);
    return new PageView(view, { status: errors.length ? 400 : 200 });
  }

  /** Every session of the list's filters and sort as CSV: the API's `Accept: text/csv` export, from a link. */
  @Get('export.csv')
  async export(@Query() raw: Record<string, unknown>): Promise<StreamableFile> {
    const parsed = await validateInput(ListSessionsQuery, withoutEmptyValues(raw));
    if (!parsed.ok) throw validationProblem(parsed.errors);
    return csvFile(await this.reads.exportCsv(parsed.value), 'sessions.csv');
  }

  /** A page of sessions, or the messages of a query the service refuses (e.g. a `from` after the `to`). */
  private async read(query: ListSessionsQuery): Promise<{ page: SessionListPage; errors: FieldError[] }> {
    try {
      return { page: await this.reads.list(query), errors: [] };
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      return { page: EMPTY_SESSION_PAGE, errors: error.errors };
    }
  }

  private async filterChoices(state: SessionListState): Promise<SessionFilterChoices> {
    const [therapists, patients] = await Promise.all([
      this.therapists.names(),
      this.patients.choices({ chosen: state.patient_id }),
    ]);
    return sessionFilterChoices(state, therapists, patients);
  }
}
