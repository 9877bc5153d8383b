import { Body, Controller, Get, Header, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClinicClock } from '../common/time/clinic-time.js';
import { formText } from '../common/web/form-view.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { AllowsMfaEnrolment, Roles } from './access.decorators.js';
import { ActorContext } from './actor-context.js';
import { type CodeRefusal, MfaService } from './mfa.service.js';
import { type MfaCodeField, mfaPage, type MfaPageView } from './mfa.view.js';

const ENTER_CODE = 'Enter the 6-digit code your authenticator app shows now.';

/**
 * Any signed-in user's own two-factor sign-in: its status, setting it up (QR code and secret, confirmed by a
 * first code; the recovery codes are shown once), new recovery codes, and turning it off where the role allows.
 * The page a user whose role requires it is held on until it is on.
 */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@AllowsMfaEnrolment()
@Controller('account/mfa')
export class MfaPagesController {
  constructor(
    private readonly mfa: MfaService,
    private readonly actors: ActorContext,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Page('access/mfa')
  async show(): Promise<MfaPageView> {
    return mfaPage(await this.mfa.status(this.userId), this.clock);
  }

  @Post('setup')
  @Page('access/mfa')
  async setUp(): Promise<Redirect> {
    await this.mfa.startEnrolment(this.userId);
    return redirectTo('/account/mfa');
  }

  /** Answers the page itself (not a redirect): the recovery codes are shown this once. */
  @Post('confirm')
  @Header('Cache-Control', 'no-store')
  @Page('access/mfa')
  async confirm(
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PageView<MfaPageView>> {
    const code = formText(body.code);
    const result = code.trim() ? await this.mfa.confirmEnrolment(this.userId, code) : undefined;
    return result?.ok
      ? this.page({ recoveryCodes: result.value })
      : this.refused('confirm_code', result, response);
  }

  @Post('recovery-codes')
  @Header('Cache-Control', 'no-store')
  @Page('access/mfa')
  async regenerate(
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PageView<MfaPageView>> {
    const code = formText(body.code);
    const result = code.trim() ? await this.mfa.regenerateRecoveryCodes(this.userId, code) : undefined;
    return result?.ok
      ? this.page({ recoveryCodes: result.value })
      : this.refused('regenerate_code', result, response);
  }

  @Post('disable')
  @Page('access/mfa')
  async disable(
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PageView<MfaPageView> | Redirect> {
    const code = formText(body.code);
    const result = code.trim() ? await this.mfa.disable(this.userId, code) : undefined;
    return result?.ok
      ? redirectTo('/account/mfa', 'Two-factor sign-in turned off')
      : this.refused('disable_code', result, response);
  }

  private get userId(): number {
    return this.actors.actor?.userId ?? 0;
  }

  private async page(extra: { recoveryCodes?: string[] } = {}): Promise<PageView<MfaPageView>> {
    return new PageView(await mfaPage(await this.mfa.status(this.userId), this.clock, extra));
  }

  /** The page with the refusal next to the field: 400, or 429 with `Retry-After` after too many tries. */
  private async refused(
    field: MfaCodeField,
    result: { refusal: CodeRefusal } | undefined,
    response: Response,
  ): Promise<PageView<MfaPageView>> {
    const refusal = result?.refusal;
    if (refusal?.kind === 'too-many') response.set('Retry-After', String(refusal.retryAfterSeconds));
    const errors = { [field]: refusal?.message ?? ENTER_CODE };
    return new PageView(await mfaPage(await this.mfa.status(this.userId), this.clock, { errors }), {
      status: refusal?.kind === 'too-many' ? 429 : 400,
    });
  }
}
