import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { notFoundProblem } from '../common/problems/problem.exception.js';
import { localPath } from '../common/web/local-path.js';
import { HOME_PATH } from '../common/web/home-path.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { Public } from './access.decorators.js';
import { AuthenticationService, SSO_METHOD } from './authentication.service.js';
import { signInPage, type SignInPageView } from './sign-in.pages.controller.js';
import { IdentityProviderUnavailable, SingleSignOnService } from './single-sign-on.service.js';

const UNAVAILABLE =
  'Your identity provider cannot be reached right now. Try again in a minute, or sign in with your password.';

/** "Sign in with …": off to the identity provider, and back (see SingleSignOnService). */
@ApiExcludeController()
@Public()
@Controller('login/oidc')
export class SingleSignOnPagesController {
  constructor(
    private readonly sso: SingleSignOnService,
    private readonly authentication: AuthenticationService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Page('access/login')
  async start(
    @Query('next') next: unknown,
    @Req() request: Request,
  ): Promise<Redirect | PageView<SignInPageView>> {
    if (!this.sso.enabled) throw notFoundProblem('Single sign-on is not configured here.');
    const back = localPath(next);
    try {
      return redirectTo(await this.sso.start(request, back));
    } catch (error) {
      if (!(error instanceof IdentityProviderUnavailable)) throw error;
      return new PageView(signInPage(back, { message: UNAVAILABLE }), { status: 503 });
    }
  }

  @Get('callback')
  @Header('Cache-Control', 'no-store')
  @Page('access/login')
  async callback(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Redirect | PageView<SignInPageView>> {
    if (!this.sso.enabled) throw notFoundProblem('Single sign-on is not configured here.');
    let result;
    try {
      result = await this.sso.finish(request);
    } catch (error) {
      if (!(error instanceof IdentityProviderUnavailable)) throw error;
      return new PageView(signInPage('/', { message: UNAVAILABLE }), { status: 503 });
    }
    if ('refusal' in result) {
      if (result.retryAfterSeconds !== undefined) {
        response.set('Retry-After', String(result.retryAfterSeconds));
      }
      return new PageView(signInPage(result.next, { message: result.refusal }), { status: result.status });
    }
    await this.authentication.signIn(request, result.user, SSO_METHOD);
    // The provider took care of the second factor and of the password: straight on.
    return redirectTo(result.next === '/' ? HOME_PATH : result.next);
  }
}
