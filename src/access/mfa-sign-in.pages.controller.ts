import { Body, Controller, Get, Header, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../common/time/clock.js';
import { formText } from '../common/web/form-view.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { Public } from './access.decorators.js';
import { AuthenticationService } from './authentication.service.js';
import { abandonSecondFactor, pendingSecondFactor } from './mfa-pending.js';
import { MfaService } from './mfa.service.js';
import { destinationAfterSignIn, signInPage, type SignInPageView } from './sign-in.pages.controller.js';

interface SecondFactorPageView {
  title: string;
  message?: string;
}

const secondFactorPage = (message?: string): SecondFactorPageView => ({
  title: 'Two-factor sign-in',
  message,
});

/**
 * The second step of signing in to an account with two-factor sign-in: the password step left the user waiting
 * in the session (not signed in); a right code (or recovery code) signs in, with a new session id.
 */
@ApiExcludeController()
@Public()
@Controller('login/mfa')
export class MfaSignInPagesController {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly mfa: MfaService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Page('access/login-mfa')
  show(@Req() request: Request): SecondFactorPageView | Redirect {
    return pendingSecondFactor(request.session, this.clock.now()) ? secondFactorPage() : redirectTo('/login');
  }

  @Post()
  @Header('Cache-Control', 'no-store')
  @Page('access/login-mfa')
  async verify(
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PageView<SecondFactorPageView | SignInPageView> | Redirect> {
    const pending = pendingSecondFactor(request.session, this.clock.now());
    if (!pending) {
      abandonSecondFactor(request.session);
      const message = 'Your sign-in took too long, or has not started: sign in again.';
      return new PageView(signInPage('/', { message }), { status: 400, template: 'access/login' });
    }
    const code = formText(body.code);
    if (!code.trim()) {
      return new PageView(secondFactorPage('Enter the code from your authenticator app.'), { status: 400 });
    }
    const check = await this.mfa.verifySignIn(pending.userId, code);
    if (!check.ok) {
      const { refusal } = check;
      if (refusal.kind === 'too-many') response.set('Retry-After', String(refusal.retryAfterSeconds));
      return new PageView(secondFactorPage(refusal.message), {
        status: refusal.kind === 'too-many' ? 429 : 401,
      });
    }
    const user = check.value;
    // A new session id; the waiting state stays behind with the old one.
    await this.authentication.signIn(request, user, 'password and second factor');
    return redirectTo(destinationAfterSignIn(user, pending.next, false));
  }
}
