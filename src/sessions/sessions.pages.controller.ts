import { Body, Controller, Get, Post, Query, Redirect as RedirectTo, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import type { Page as ResultPage } from '../common/pagination/page.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { errorsByField, validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { isHtmx, safeReturnPath } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { PatientsService } from '../patients/patients.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import { CreateSessionDto, ListSessionsQuery, UpdateSessionDto } from './dto/session.dto.js';
import { sessionFormToInput, sessionFormValues, type SessionFormValues } from './session-form.js';
import {
  DEFAULT_SESSION_LIST_STATE,
  pageSizeOptions,
  personOptions,
  statusOptions,
  toSessionResultsView,
  toSessionRowView,
  type SessionListState,
  type SessionViewContext,
} from './session.view.js';
import type { SessionWithPeople } from './session.repository.js';
import { SessionPolicy } from './session-policy.js';
import { SessionsService } from './sessions.service.js';

const EMPTY_PAGE: ResultPage<SessionWithPeople> = { items: [], total: 0, page: 1, pageSize: 25 };

/** Staff pages for sessions: the same service as the API, rendered as HTML (whole page, or fragment for htmx). */
@ApiExcludeController()
@Controller()
export class SessionsPagesController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly therapists: TherapistsService,
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
    private readonly policy: SessionPolicy,
  ) {}

  private get view(): SessionViewContext {
    return { clock: this.clock, transitionsOf: this.policy.transitionsOf };
  }

  @Get()
  @RedirectTo('/sessions', 302)
  home(): void {
    // The sessions list is the home page.
  }

  @Get('sessions')
  @Page('sessions/index', 'sessions/_results')
  async list(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView> {
    const parsed = await validateInput(ListSessionsQuery, withoutEmptyValues(raw));
    const state = parsed.ok ? this.stateOf(parsed.value) : this.stateOfInvalid(raw);
    let errors: FieldError[] = parsed.ok ? [] : parsed.errors;
    let page = EMPTY_PAGE;
    if (parsed.ok) {
      try {
        page = await this.sessions.list(parsed.value);
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        errors = error.errors;
      }
    }
    const model = {
      title: 'Sessions',
      nav: { sessions: true },
      ...toSessionResultsView(page, state, this.view),
      errors,
      ...(isHtmx(request) ? {} : await this.filterChoices(state)),
    };
    return new PageView(model, { status: errors.length ? 400 : 200 });
  }

  @Post('sessions/:id/status')
  @Page('sessions/status-result', 'sessions/_row')
  async changeStatus(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView | Redirect> {
    const returnTo = safeReturnPath(body.return_to, '/sessions');
    const parsed = await validateInput(UpdateSessionDto, { status: body.status });
    try {
      if (!parsed.ok)
        throw new ProblemException('validation-error', parsed.errors.map((e) => e.message).join('; '));
      const session = await this.sessions.update(id, parsed.value);
      return isHtmx(request)
        ? new PageView(toSessionRowView(session, this.view, returnTo))
        : redirectTo(returnTo);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.problemType === 'not-found') throw error;
      const current = await this.sessions.get(id);
      const row = toSessionRowView(current, this.view, returnTo, `Not changed: ${error.message}`);
      return new PageView({ ...row, title: 'Status not changed' }, { status: error.getStatus() });
    }
  }

  @Get('sessions/new')
  @Page('sessions/new')
  async newForm(@Query() raw: Record<string, unknown>): Promise<object> {
    const values: SessionFormValues = { ...sessionFormValues(raw), duration_minutes: '50' };
    return this.formModel(values, {});
  }

  @Post('sessions')
  @Page('sessions/new', 'sessions/_form')
  async create(@Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const values = sessionFormValues(body);
    const { input, errors } = sessionFormToInput(values, this.clock);
    const parsed = await validateInput(CreateSessionDto, input);
    const allErrors = [...errors, ...(parsed.ok ? [] : parsed.errors)];
    if (allErrors.length === 0 && parsed.ok) {
      try {
        const session = await this.sessions.create(parsed.value);
        return redirectTo(`/sessions/${session.id}`);
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        return new PageView(await this.formModel(values, errorsByField(error.errors), error), {
          status: error.getStatus(),
        });
      }
    }
    return new PageView(await this.formModel(values, errorsByField(allErrors)), { status: 400 });
  }

  @Get('sessions/:id')
  @Page('sessions/show')
  async show(@IdParam() id: number): Promise<object> {
    const session = await this.sessions.get(id);
    const values = {
      date: this.clock.localInput(session.startsAt),
      duration_minutes: String(session.durationMinutes),
      notes: session.notes ?? '',
    };
    return this.showModel(session.id, values, {});
  }

  @Post('sessions/:id')
  @Page('sessions/show', 'sessions/_edit_form')
  async update(@IdParam() id: number, @Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const { date, duration_minutes, notes } = sessionFormValues(body);
    const values = { date, duration_minutes, notes };
    const { input, errors } = sessionFormToInput(values, this.clock);
    const parsed = await validateInput(UpdateSessionDto, input);
    const allErrors = [...errors, ...(parsed.ok ? [] : parsed.errors)];
    if (allErrors.length === 0 && parsed.ok) {
      try {
        await this.sessions.update(id, parsed.value);
        return redirectTo(`/sessions/${id}`);
      } catch (error) {
        if (!(error instanceof ProblemException) || error.problemType === 'not-found') throw error;
        return new PageView(await this.showModel(id, values, errorsByField(error.errors), error), {
          status: error.getStatus(),
        });
      }
    }
    return new PageView(await this.showModel(id, values, errorsByField(allErrors)), { status: 400 });
  }

  private stateOf(query: ListSessionsQuery): SessionListState {
    return {
      q: query.q,
      status: query.status,
      therapist_id: query.therapist_id,
      patient_id: query.patient_id,
      from: query.from,
      to: query.to,
      sort: query.sort,
      order: query.order,
      page: query.page,
      page_size: query.page_size,
    };
  }

  /** Keeps what the user typed in the filters visible next to the message about it. */
  private stateOfInvalid(raw: Record<string, unknown>): SessionListState {
    const text = (value: unknown): string | undefined =>
      typeof value === 'string' && value ? value : undefined;
    return { ...DEFAULT_SESSION_LIST_STATE, q: text(raw.q), from: text(raw.from), to: text(raw.to) };
  }

  private async filterChoices(state: SessionListState): Promise<object> {
    const [therapists, patients] = await Promise.all([this.therapists.names(), this.patients.names()]);
    return {
      statusOptions: statusOptions(state.status),
      therapistOptions: personOptions(therapists, state.therapist_id),
      patientOptions: personOptions(patients, state.patient_id),
      pageSizeOptions: pageSizeOptions(state.page_size),
    };
  }

  private async formModel(
    values: SessionFormValues,
    errors: Record<string, string>,
    problem?: ProblemException,
  ): Promise<object> {
    const [therapists, patients] = await Promise.all([this.therapists.names(), this.patients.names()]);
    return {
      title: 'New session',
      nav: { sessions: true },
      values,
      errors,
      formError: problem && !problem.errors.length ? problem.message : undefined,
      hasErrors: Object.keys(errors).length > 0 || Boolean(problem),
      timeZone: this.clock.timeZone,
      therapistOptions: personOptions(therapists, Number(values.therapist_id)),
      patientOptions: personOptions(patients, Number(values.patient_id)),
    };
  }

  private async showModel(
    id: number,
    values: Pick<SessionFormValues, 'date' | 'duration_minutes' | 'notes'>,
    errors: Record<string, string>,
    problem?: ProblemException,
  ): Promise<object> {
    const session = await this.sessions.get(id);
    const row = toSessionRowView(session, this.view, `/sessions/${id}`);
    return {
      title: `Session on ${row.date}`,
      nav: { sessions: true },
      session: row,
      values,
      errors,
      formError: problem && !problem.errors.length ? problem.message : undefined,
      hasErrors: Object.keys(errors).length > 0 || Boolean(problem),
      timeZone: this.clock.timeZone,
    };
  }
}
