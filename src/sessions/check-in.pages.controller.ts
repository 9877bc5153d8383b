import { Body, Controller, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { IdParam } from '../common/http/id-param.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { safeReturnPath } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { SessionCheckInService } from './session-check-in.service.js';

export interface CheckInRefusedView {
  title: string;
  error: string;
  returnTo: string;
  url: string;
}

/** The day sheet's check-in and undo buttons: back to the sheet, or a page saying why not. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('sessions/:id/check-in')
export class CheckInPagesController {
  constructor(private readonly checkIns: SessionCheckInService) {}

  @Post()
  @Page('sessions/check-in-refused')
  checkIn(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<CheckInRefusedView> | Redirect> {
    return this.answer(id, body, () => this.checkIns.checkIn(id));
  }

  @Post('undo')
  @Page('sessions/check-in-refused')
  undo(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<CheckInRefusedView> | Redirect> {
    return this.answer(id, body, () => this.checkIns.undo(id));
  }

  private async answer(
    id: number,
    body: Record<string, unknown>,
    change: () => Promise<unknown>,
  ): Promise<PageView<CheckInRefusedView> | Redirect> {
    const returnTo = safeReturnPath(body.return_to, `/sessions/${id}`);
    try {
      await change();
      return redirectTo(`${returnTo}#session-${id}`);
    } catch (error) {
      // A missing session stays the 404 page; a refusal says why, with the way back.
      if (!(error instanceof ProblemException) || error.problemType !== 'conflict') throw error;
      const view = { title: 'Not checked in', error: error.message, returnTo, url: `/sessions/${id}` };
      return new PageView(view, { status: error.getStatus() });
    }
  }
}
