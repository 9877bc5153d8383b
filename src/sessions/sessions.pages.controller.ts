import { Body, Controller, Get, Post, Query, Redirect as RedirectTo, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam, parseId } from '../common/http/id-param.js';
import type { Page as ResultPage } from '../common/pagination/page.js';
import { ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { errorsByField, validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { inputProblemOf } from '../common/web/form-view.js';
import { isHtmx, safeReturnPath } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { PatientsService } from '../patients/patients.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import {
  CancelSessionDto,
  CreateSeriesDto,
  CreateSessionDto,
  ListSessionsQuery,
  SESSION_SORTS,
  UpdateSessionDto,
} from './dto/session.dto.js';
import { sessionFormToInput, sessionFormValues, type SessionFormValues } from './session-form.js';
import { toSessionHistoryView } from './session-history.view.js';
import { problemInClinicTime } from './session-problem.view.js';
import { SessionPolicy } from './session-policy.js';
import { SeriesFrequency } from './session-series.entity.js';
import type { SessionWithPeople } from './session.repository.js';
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
import { SessionBookingService } from './session-booking.service.js';
import { SessionChangesService } from './session-changes.service.js';
import { SessionReadsService } from './session-reads.service.js';

const FREQUENCY_LABELS: Record<SeriesFrequency, string> = {
  [SeriesFrequency.Weekly]: 'Every week',
  [SeriesFrequency.Fortnightly]: 'Every two weeks',
};

const EMPTY_PAGE: ResultPage<SessionWithPeople> = { items: [], total: 0, page: 1, pageSize: 25 };

export const CHANGED_BY_SOMEONE_ELSE =
  'This session was changed by someone else since you opened it. The current values are shown; check them and try again.';

/** The version a form was rendered with (hidden `version` field), for the same check as the API's If-Match. */
function formVersions(body: Record<string, unknown>): number[] {
  const version = parseId(body.version);
  if (version === undefined) {
    throw validationProblem([
      { field: 'version', message: 'The form has no valid version; reload the page and try again' },
    ]);
  }
  return [version];
}

const EDIT_FIELDS = ['date', 'duration_minutes', 'notes'];
const NEW_FIELDS = [
  'therapist_id',
  'patient_id',
  'date',
  'duration_minutes',
  'notes',
  'frequency',
  'occurrences',
];

/** Whether every error of a problem is shown next to a field of the form (else it needs a message of its own). */
const shownOnAField = (problem: ProblemException, fields: string[]): boolean =>
  problem.errors.length > 0 && problem.errors.every((error) => fields.includes(error.field));

/** A message for a refused change, in the staff's words where the API's would be technical. */
const messageOf = (problem: ProblemException): string =>
  problem.problemType === 'precondition-failed' ? CHANGED_BY_SOMEONE_ELSE : problem.message;

/** Staff pages for sessions: the same service as the API, rendered as HTML (whole page, or fragment for htmx). */
@ApiExcludeController()
@Controller()
export class SessionsPagesController {
  constructor(
    private readonly sessions: SessionReadsService,
    private readonly booking: SessionBookingService,
    private readonly changes: SessionChangesService,
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

  /** One row's status change (a cancellation with its reason); answers the row, or goes back to the list. */
  @Post('sessions/:id/status')
  @Page('sessions/status-result', 'sessions/_row')
  async changeStatus(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView | Redirect> {
    const returnTo = safeReturnPath(body.return_to, '/sessions');
    const parsed = await validateInput(
      UpdateSessionDto,
      withoutEmptyValues({ status: body.status, reason: body.reason }),
    );
    try {
      if (!parsed.ok) throw validationProblem(parsed.errors);
      if (parsed.value.status === undefined)
        throw validationProblem([{ field: 'status', message: 'Choose a status' }]);
      const session = await this.changes.update(id, parsed.value, { expectedVersions: formVersions(body) });
      return isHtmx(request)
        ? new PageView(toSessionRowView(session, this.view, returnTo))
        : redirectTo(returnTo);
    } catch (error) {
      const problem = this.problemOf(error);
      if (!problem) throw error;
      const current = await this.sessions.get(id);
      const row = toSessionRowView(current, this.view, returnTo, `Not changed: ${messageOf(problem)}`);
      return new PageView({ ...row, title: 'Status not changed' }, { status: problem.getStatus() });
    }
  }

  @Get('sessions/new')
  @Page('sessions/new')
  async newForm(@Query() raw: Record<string, unknown>): Promise<object> {
    const values: SessionFormValues = {
      ...sessionFormValues(raw),
      duration_minutes: '50',
      occurrences: '10',
    };
    return this.formModel(values, []);
  }

  @Post('sessions')
  @Page('sessions/new', 'sessions/_form')
  async create(@Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const values = sessionFormValues(body);
    const { input, errors } = sessionFormToInput(values, this.clock);
    const repeating = values.repeat !== '';
    const parsed = repeating
      ? await validateInput(CreateSeriesDto, input)
      : await validateInput(CreateSessionDto, input);
    const allErrors = [...errors, ...(parsed.ok ? [] : parsed.errors)];
    if (allErrors.length > 0 || !parsed.ok) {
      return new PageView(await this.formModel(values, allErrors), { status: 400 });
    }
    try {
      if (parsed.value instanceof CreateSeriesDto) {
        const { sessions } = await this.booking.createSeries(parsed.value);
        const first = sessions[0];
        return redirectTo(first ? `/sessions/${first.id}` : '/sessions');
      }
      const session = await this.booking.create(parsed.value);
      return redirectTo(`/sessions/${session.id}`);
    } catch (error) {
      const problem = this.problemOf(error);
      if (!problem) throw error;
      return new PageView(await this.formModel(values, problem.errors, problem), {
        status: problem.getStatus(),
      });
    }
  }

  @Get('sessions/:id')
  @Page('sessions/show')
  async show(@IdParam() id: number): Promise<object> {
    return this.showModel(await this.sessions.get(id), undefined, []);
  }

  @Post('sessions/:id')
  @Page('sessions/show', 'sessions/_edit_form')
  async update(@IdParam() id: number, @Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const { date, duration_minutes, notes } = sessionFormValues(body);
    const values = { date, duration_minutes, notes };
    // The form shows the start to the minute in the clinic's zone. Sent back as shown, it means "keep the start",
    // even when that wall-clock time occurs twice (clocks going back) or the stored start has seconds.
    const stored = await this.sessions.get(id);
    const keepsStart = date === this.clock.localInput(stored.startsAt);
    const { input, errors } = sessionFormToInput(
      keepsStart ? { duration_minutes, notes } : values,
      this.clock,
    );
    const parsed = await validateInput(UpdateSessionDto, input);
    const allErrors = [...errors, ...(parsed.ok ? [] : parsed.errors)];
    if (allErrors.length > 0 || !parsed.ok) {
      return new PageView(await this.showModel(stored, values, allErrors), {
        status: 400,
      });
    }
    try {
      await this.changes.update(id, parsed.value, { expectedVersions: formVersions(body) });
      return redirectTo(`/sessions/${id}`);
    } catch (error) {
      const problem = this.problemOf(error);
      if (!problem) throw error;
      const current = await this.sessions.get(id);
      // A stale form shows what is stored now; any other refusal keeps what the user typed.
      const shown = problem.problemType === 'precondition-failed' ? undefined : values;
      return new PageView(await this.showModel(current, shown, problem.errors, problem), {
        status: problem.getStatus(),
      });
    }
  }

  /** Cancels a session, or it and the rest of its series, with a reason (the detail page's form). */
  @Post('sessions/:id/cancel')
  @Page('sessions/show')
  async cancel(@IdParam() id: number, @Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const parsed = await validateInput(
      CancelSessionDto,
      withoutEmptyValues({ reason: body.reason, scope: body.scope }),
    );
    try {
      if (!parsed.ok) throw validationProblem(parsed.errors);
      await this.changes.cancel(id, parsed.value, { expectedVersions: formVersions(body) });
      return redirectTo(`/sessions/${id}`);
    } catch (error) {
      const problem = this.problemOf(error);
      if (!problem) throw error;
      const model = await this.showModel(await this.sessions.get(id), undefined, []);
      return new PageView({ ...model, cancelError: messageOf(problem) }, { status: problem.getStatus() });
    }
  }

  /** A refusal the user can act on (else `undefined`), with its times in the clinic's time zone. */
  private problemOf(error: unknown): ProblemException | undefined {
    const problem = inputProblemOf(error);
    return problem && problemInClinicTime(problem, this.clock);
  }

  private stateOf(query: ListSessionsQuery): SessionListState {
    return {
      q: query.q,
      status: query.status,
      therapist_id: query.therapist_id,
      patient_id: query.patient_id,
      series_id: query.series_id,
      from: query.from,
      to: query.to,
      sort: query.sort,
      order: query.order,
      page: query.page,
      page_size: query.page_size,
    };
  }

  /**
   * Keeps what the user typed in the filters visible next to the message about it, and the series and sort order
   * when they are valid, so the next search still carries them.
   */
  private stateOfInvalid(raw: Record<string, unknown>): SessionListState {
    const text = (value: unknown): string | undefined =>
      typeof value === 'string' && value ? value : undefined;
    const sort = SESSION_SORTS.find((name) => name === raw.sort);
    const order = raw.order === 'asc' || raw.order === 'desc' ? raw.order : undefined;
    return {
      ...DEFAULT_SESSION_LIST_STATE,
      q: text(raw.q),
      from: text(raw.from),
      to: text(raw.to),
      series_id: parseId(raw.series_id),
      ...(sort && { sort }),
      ...(order && { order }),
    };
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
    errors: FieldError[],
    problem?: ProblemException,
  ): Promise<object> {
    const [therapists, patients] = await Promise.all([this.therapists.names(), this.patients.names()]);
    const occurrenceErrors = errors.filter((error) => error.field.startsWith('occurrences['));
    return {
      title: 'New session',
      nav: { sessions: true },
      values,
      errors: errorsByField(errors),
      occurrenceErrors,
      formError: problem && !shownOnAField(problem, NEW_FIELDS) ? problem.message : undefined,
      hasErrors: errors.length > 0 || Boolean(problem),
      timeZone: this.clock.timeZone,
      therapistOptions: personOptions(therapists, Number(values.therapist_id)),
      patientOptions: personOptions(patients, Number(values.patient_id)),
      repeatOptions: [
        { value: '', label: 'Does not repeat', selected: values.repeat === '' },
        ...Object.entries(FREQUENCY_LABELS).map(([value, label]) => ({
          value,
          label,
          selected: values.repeat === value,
        })),
      ],
    };
  }

  /** The detail page; `values` are the edit form's (the stored ones when not given). */
  private async showModel(
    session: SessionWithPeople,
    values: Pick<SessionFormValues, 'date' | 'duration_minutes' | 'notes'> | undefined,
    errors: FieldError[],
    problem?: ProblemException,
  ): Promise<object> {
    const row = toSessionRowView(session, this.view, `/sessions/${session.id}`);
    const history = await this.sessions.history(session.id);
    return {
      title: `Session on ${row.date}`,
      nav: { sessions: true },
      session: row,
      values: values ?? {
        date: this.clock.localInput(session.startsAt),
        duration_minutes: String(session.durationMinutes),
        notes: session.notes ?? '',
      },
      errors: errorsByField(errors),
      formError:
        problem && (problem.problemType === 'precondition-failed' || !shownOnAField(problem, EDIT_FIELDS))
          ? messageOf(problem)
          : undefined,
      hasErrors: errors.length > 0 || Boolean(problem),
      timeZone: this.clock.timeZone,
      history: toSessionHistoryView(history, this.clock),
    };
  }
}
