import { HOME_PATH } from '../common/web/home-path.js';
import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { formText } from '../common/web/form-view.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { AllowsTemporaryPassword, Roles } from './access.decorators.js';
import { ActorContext } from './actor-context.js';
import { AuthenticationService } from './authentication.service.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';
import { UserRepository } from './user.repository.js';

interface PasswordPageView {
  title: string;
  minLength: number;
  /** The user has a temporary password and may do nothing else until they choose their own. */
  required: boolean;
  errors: Record<string, string>;
  message?: string;
}

/** Any signed-in user's own password; the page a temporary password leads to. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@AllowsTemporaryPassword()
@Controller('account/password')
export class AccountPagesController {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly actors: ActorContext,
    private readonly users: UserRepository,
  ) {}

  @Get()
  @Page('access/password')
  form(): PasswordPageView {
    return this.view({});
  }

  @Post()
  @Page('access/password')
  async change(
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView<PasswordPageView> | Redirect> {
    const userId = this.actors.actor?.userId ?? 0;
    const errors = await this.authentication.changePassword(
      userId,
      {
        current: formText(body.current_password),
        next: formText(body.new_password),
        confirmation: formText(body.confirm_password),
      },
      request.sessionID,
    );
    if (Object.keys(errors).length > 0) {
      return new PageView(this.view(errors, 'The password was not changed.'), { status: 400 });
    }
    const user = await this.users.findOneOrFail(userId);
    // A new session id, as at sign-in; every other browser of theirs has been signed out.
    await this.authentication.startSession(request, user);
    return redirectTo(HOME_PATH, 'Password changed; your other browsers are signed out');
  }

  private view(errors: Record<string, string>, message?: string): PasswordPageView {
    return {
      title: 'Choose your password',
      minLength: MIN_PASSWORD_LENGTH,
      required: this.actors.actor?.mustChangePassword === true,
      errors,
      message,
    };
  }
}
