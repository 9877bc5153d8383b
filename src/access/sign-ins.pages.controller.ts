import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { validationProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';
import { Page, redirectTo, type Redirect } from '../common/web/page.js';
import { Roles } from './access.decorators.js';
import { ActorContext } from './actor-context.js';
import type { Actor } from './roles.js';
import { SignInsService } from './sign-ins.service.js';
import { signInsPage, type SignInsPageView, type SignOutNotice } from './sign-ins.view.js';

const HANDLE_PATTERN = /^[0-9a-f]{32}$/;

/** "Your sign-ins": any signed-in user's own browsers, and signing the others out. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('account/sessions')
export class SignInsPagesController {
  constructor(
    private readonly signIns: SignInsService,
    private readonly actors: ActorContext,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page('access/sign-ins')
  async list(@Query('done') done: unknown, @Req() request: Request): Promise<SignInsPageView> {
    return signInsPage(await this.signIns.list(this.actor, currentSessionOf(request)), this.clock, done);
  }

  @Post('sign-out')
  @Page('access/sign-ins')
  async signOut(@Body() body: Record<string, unknown>, @Req() request: Request): Promise<Redirect> {
    const handle = formText(body.id);
    if (!HANDLE_PATTERN.test(handle)) {
      throw validationProblem([{ field: 'id', message: 'id must name one of your sign-ins' }]);
    }
    await this.signIns.signOutRemotely(this.actor, handle, currentSessionOf(request));
    return done('signed-out');
  }

  @Post('sign-out-others')
  @Page('access/sign-ins')
  async signOutOthers(@Req() request: Request): Promise<Redirect> {
    await this.signIns.signOutEverywhereElse(this.actor, currentSessionOf(request));
    return done('signed-out-others');
  }

  /** The guard has let only a signed-in actor this far. */
  private get actor(): Actor {
    const actor = this.actors.actor;
    if (!actor) throw new Error('No actor: the access guard must run first');
    return actor;
  }
}

/** The asking browser's session, when it is signed in (a request with a token has none of its own). */
const currentSessionOf = (request: Request): string | null =>
  request.session.userId === undefined ? null : request.sessionID;

const done = (notice: SignOutNotice): Redirect => redirectTo(`/account/sessions?done=${notice}`);
