import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { validationProblem, type ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { withoutEmptyValues } from '../common/validation/validate-input.js';
import { handleFormPost } from '../common/web/form-post.js';
import { isHtmx, safeReturnPath } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { CancelSessionDto, UpdateSessionDto } from './dto/session.dto.js';
import {
  toSessionDetailView,
  toStatusRefusedView,
  type SessionDetailView,
  type StatusResultView,
} from './session-detail.view.js';
import { formVersions, sessionEditInput, type SessionEditValues } from './session-form.js';
import { messageOf, sessionProblemOf } from './session-problem.view.js';
import { SessionPolicy } from './session-policy.js';
import type { SessionWithPeople } from './session.repository.js';
import { sessionViewContext, toSessionRowView, type SessionViewContext } from './session.view.js';
import { SessionReadsService } from './session-reads.service.js';
import { SessionChangesService } from './session-changes.service.js';
import { sessionsCancelled, sessionUpdated, statusChanged } from './session-confirmations.js';
import { Roles } from '../access/access.decorators.js';
import { WaitlistService } from '../waitlist/waitlist.service.js';
import { toWaitlistMatchesView, type WaitlistMatchesView } from '../waitlist/waitlist.view.js';
import { CANCELLED_STATUSES } from './session-status.js';

/** One session: its page, the edit form, cancelling it (or its series) and a status change from a list row. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('sessions/:id')
export class SessionDetailPagesController {
  private readonly problemOf: (error: unknown) => ProblemException | undefined;

  constructor(
    private readonly reads: SessionReadsService,
    private readonly changes: SessionChangesService,
    private readonly clock: ClinicClock,
    private readonly policy: SessionPolicy,
    private readonly waitlist: WaitlistService,
  ) {
    this.problemOf = sessionProblemOf(clock);
  }

  private get context(): SessionViewContext {
    return sessionViewContext(this.clock, this.policy);
  }

  @Get()
  @Page('sessions/show')
  async show(@IdParam() id: number): Promise<SessionDetailView> {
    return this.detailView(await this.reads.get(id));
  }

  @Post()
  @Page('sessions/show', 'sessions/_edit_form')
  async update(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<SessionDetailView> | Redirect> {
    const stored = await this.reads.get(id);
    const { values, input, errors } = sessionEditInput(body, stored.startsAt, this.clock);
    return handleFormPost({
      dto: UpdateSessionDto,
      input,
      inputErrors: errors,
      run: async (change) => {
        const session = await this.changes.update(id, change, { expectedVersions: formVersions(body) });
        return redirectTo(`/sessions/${id}`, sessionUpdated(session, this.clock));
      },
      showProblem: async (problem, failure) => {
        if (failure === 'invalid') return this.detailView(stored, values, problem.errors);
        // A stale form shows what is stored now; any other refusal keeps what the user typed.
        const shown = problem.problemType === 'precondition-failed' ? undefined : values;
        return this.detailView(await this.reads.get(id), shown, problem.errors, problem);
      },
      problemOf: this.problemOf,
    });
  }

  /** Cancels a session, or it and the rest of its series, with a reason (the detail page's form). */
  @Post('cancel')
  @Page('sessions/show')
  cancel(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<SessionDetailView> | Redirect> {
    return handleFormPost({
      dto: CancelSessionDto,
      input: withoutEmptyValues({ reason: body.reason, scope: body.scope }),
      run: async (cancellation) => {
        const cancelled = await this.changes.cancel(id, cancellation, {
          expectedVersions: formVersions(body),
        });
        return redirectTo(`/sessions/${id}`, sessionsCancelled(cancelled, this.clock));
      },
      showProblem: async (problem) => ({
        ...(await this.detailView(await this.reads.get(id))),
        cancelError: messageOf(problem),
      }),
      problemOf: this.problemOf,
    });
  }

  /** One row's status change (a cancellation with its reason); answers the row, or goes back to the list. */
  @Post('status')
  @Page('sessions/status-result', 'sessions/_row')
  changeStatus(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView<StatusResultView> | Redirect> {
    const returnTo = safeReturnPath(body.return_to, '/sessions');
    return handleFormPost<UpdateSessionDto, StatusResultView>({
      dto: UpdateSessionDto,
      input: withoutEmptyValues({ status: body.status, reason: body.reason }),
      run: async (change) => {
        if (change.status === undefined) {
          throw validationProblem([{ field: 'status', message: 'Choose a status' }]);
        }
        const session = await this.changes.update(id, change, { expectedVersions: formVersions(body) });
        const confirmation = statusChanged(session, this.clock);
        return isHtmx(request)
          ? new PageView(toSessionRowView(session, this.context, returnTo), { flash: confirmation })
          : redirectTo(returnTo, confirmation);
      },
      showProblem: async (problem) =>
        toStatusRefusedView(await this.reads.get(id), this.context, returnTo, problem),
      problemOf: this.problemOf,
    });
  }

  /** The detail page; `values` are the edit form's (the stored ones when not given). */
  private async detailView(
    session: SessionWithPeople,
    values?: SessionEditValues,
    errors: FieldError[] = [],
    problem?: ProblemException,
  ): Promise<SessionDetailView> {
    const history = await this.reads.history(session.id);
    const view = toSessionDetailView(session, history, this.context, { values, errors, problem });
    return { ...view, matches: await this.waitingFor(session) };
  }

  /** Who on the waitlist could take the time a cancelled session, yet to start, gave back. */
  private async waitingFor(session: SessionWithPeople): Promise<WaitlistMatchesView | undefined> {
    if (!CANCELLED_STATUSES.includes(session.status) || session.startsAt.getTime() <= Date.now())
      return undefined;
    const slot = { therapistId: session.therapist.id, start: session.startsAt, end: session.endsAt };
    return toWaitlistMatchesView(
      await this.waitlist.matches(slot),
      slot,
      this.clock,
      `/sessions/${session.id}`,
    );
  }
}
