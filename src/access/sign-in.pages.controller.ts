import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { HOME_PATH } from '../common/web/home-path.js';
import { localPath } from '../common/web/local-path.js';
import { CHANGE_PASSWORD_PATH, MFA_ENROLMENT_PATH } from '../common/problems/problem-details.filter.js';
import { Clock } from '../common/time/clock.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { AllowsMfaEnrolment, AllowsTemporaryPassword, Public, Roles } from './access.decorators.js';
import { AuthenticationService } from './authentication.service.js';
import { awaitSecondFactor } from './mfa-pending.js';
import type { User } from './user.entity.js';
import { SignInRateLimited } from './sign-in-rate-limit.interceptor.js';
import { sessionCookieName } from './web-session.js';

export interface SignInPageView {
  title: string;
  action: string;
  email?: string;
  message?: string;
  /** `next`, for the single sign-on button to come back to the same page. */
  ssoNext?: string;
}

const SIGN_IN_REFUSED = 'That e-mail and password do not match an active account.';

export const signInPage = (next: string, extra: Partial<SignInPageView> = {}): SignInPageView => ({
  title: 'Sign in',
  action: next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`,
  ssoNext: next === '/' ? undefined : encodeURIComponent(next),
  ...extra,
});

/** The code step of a sign-in with two-factor sign-in on. */
export const SECOND_FACTOR_PATH = '/login/mfa';

/** Where a sign-in goes once complete: a temporary password or a required enrolment first, else `next`. */
export function destinationAfterSignIn(user: User, next: string, mustEnrolMfa: boolean): string {
  if (user.mustChangePassword) return CHANGE_PASSWORD_PATH;
  if (mustEnrolMfa) return MFA_ENROLMENT_PATH;
  return next === '/' ? HOME_PATH : next;
}

/** The sign-in form and sign-out; sessions live in PostgreSQL (see web-session.ts). */
@ApiExcludeController()
@Controller()
export class SignInPagesController {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Get('login')
  @Page('access/login')
  showSignIn(@Query('next') next: unknown): SignInPageView {
    return signInPage(localPath(next));
  }

  @Public()
  @Post('login')
  @SignInRateLimited()
  @Page('access/login')
  async signIn(
    @Query('next') nextParam: unknown,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView<SignInPageView> | Redirect> {
    const next = localPath(nextParam);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = email && password ? await this.authentication.verifyCredentials(email, password) : undefined;
    if (!user) {
      const message = email && password ? SIGN_IN_REFUSED : 'Enter your e-mail and your password.';
      return new PageView(signInPage(next, { email, message }), { status: email && password ? 401 : 400 });
    }
    if (user.mfaEnabledAt !== null) {
      // Not signed in yet: the code step (SECOND_FACTOR_PATH) starts the session once the code is right.
      await awaitSecondFactor(request.session, user.id, next, this.clock.now());
      return redirectTo(SECOND_FACTOR_PATH);
    }
    await this.authentication.signIn(request, user, 'password');
    return redirectTo(destinationAfterSignIn(user, next, this.authentication.mustEnrolMfa(user)));
  }

  @Roles('receptionist', 'therapist')
  @AllowsTemporaryPassword()
  @AllowsMfaEnrolment()
  @Post('logout')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.authentication.signOut(request);
    response.clearCookie(sessionCookieName(this.config.get('access', { infer: true })), { path: '/' });
    response.redirect(303, '/login');
  }
}
