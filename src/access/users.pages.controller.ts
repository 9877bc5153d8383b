import { Body, Controller, Get, Header, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { formState, formText, inputProblemOf } from '../common/web/form-view.js';
import { handleFormPost } from '../common/web/form-post.js';
import { errorsByField, validateInput } from '../common/validation/validate-input.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { TherapistRepository } from '../therapists/therapist.repository.js';
import { AdminOnly } from './access.decorators.js';
import { ActorContext } from './actor-context.js';
import { CreateTokenDto, CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { MfaService } from './mfa.service.js';
import { UsersService } from './users.service.js';
import {
  tokenRowsOf,
  userFormView,
  userRowOf,
  usersPage,
  valuesOf,
  type UserFormValues,
  type UserFormView,
  type UserPageView,
  type UsersPageView,
} from './users.view.js';

const formValues = (body: Record<string, unknown>): UserFormValues => ({
  email: formText(body.email),
  name: formText(body.name),
  role: formText(body.role),
  therapist_id: formText(body.therapist_id),
});

/** The form's fields as the API takes them: an empty select is no therapist. */
const asInput = (values: UserFormValues, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...values,
  therapist_id: values.therapist_id === '' ? undefined : values.therapist_id,
  ...extra,
});

/** The users pages: the same service as /api/users, admins only. */
@ApiExcludeController()
@AdminOnly()
@Controller('users')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly therapists: TherapistRepository,
    private readonly clock: ClinicClock,
    private readonly actors: ActorContext,
    private readonly mfa: MfaService,
  ) {}

  @Get()
  @Page('access/users')
  async list(): Promise<UsersPageView> {
    const [users, names] = await Promise.all([this.users.list(), this.therapists.findNames()]);
    return usersPage(users.map((user) => userRowOf(user, names, this.clock)));
  }

  @Get('new')
  @Page('access/user-new')
  async newForm(): Promise<UserFormView> {
    const values = { email: '', name: '', role: 'receptionist', therapist_id: '' };
    return userFormView('New user', formState(values), await this.therapists.findNames());
  }

  @Post()
  @Page('access/user-new')
  async create(@Body() body: Record<string, unknown>): Promise<PageView<UserFormView> | Redirect> {
    const values = formValues(body);
    const names = await this.therapists.findNames();
    return handleFormPost({
      dto: CreateUserDto,
      input: asInput(values, { password: formText(body.password) }),
      run: async (dto) => redirectTo(`/users/${(await this.users.create(dto)).id}`, 'User created'),
      showProblem: (problem) =>
        userFormView('New user', formState(values, errorsByField(problem.errors), problem), names),
    });
  }

  @Get(':id')
  @Page('access/user')
  show(@IdParam() id: number): Promise<UserPageView> {
    return this.page(id);
  }

  @Post(':id')
  @Page('access/user')
  async update(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<UserPageView> | Redirect> {
    const values = formValues(body);
    const input = asInput(values, { therapist_id: values.therapist_id === '' ? null : values.therapist_id });
    delete input.email;
    return handleFormPost({
      dto: UpdateUserDto,
      input,
      run: async (dto) => {
        await this.users.update(id, dto, this.actingUserId);
        return redirectTo(`/users/${id}`, 'Changes saved');
      },
      showProblem: (problem) => this.page(id, { values, problem }),
    });
  }

  @Post(':id/disable')
  @Page('access/user')
  disable(@IdParam() id: number): Promise<PageView<UserPageView> | Redirect> {
    return this.change(id, { disabled: true }, 'User disabled: signed out everywhere, tokens revoked');
  }

  @Post(':id/enable')
  @Page('access/user')
  enable(@IdParam() id: number): Promise<PageView<UserPageView> | Redirect> {
    return this.change(id, { disabled: false }, 'User enabled');
  }

  /**
   * Answers the page itself (not a redirect): a generated temporary password is shown this once; one the admin
   * typed is not shown back, and the rule's refusal of it is shown next to its field.
   */
  @Post(':id/reset-password')
  @Header('Cache-Control', 'no-store')
  @Page('access/user')
  async resetPassword(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<UserPageView> | UserPageView> {
    const chosen = formText(body.password);
    try {
      const { temporaryPassword } = await this.users.update(
        id,
        chosen === '' ? { reset_password: true } : { reset_password: true, password: chosen },
        this.actingUserId,
      );
      return await this.page(id, { temporaryPassword, passwordReset: temporaryPassword === undefined });
    } catch (error) {
      const problem = inputProblemOf(error);
      const resetError = problem?.errors.find((fieldError) => fieldError.field === 'password')?.message;
      if (!problem || resetError === undefined) return this.refused(id, error);
      return new PageView(await this.page(id, { resetError }), { status: problem.getStatus() });
    }
  }

  /** Answers the page itself: the new token is shown this once. */
  @Post(':id/tokens')
  @Header('Cache-Control', 'no-store')
  @Page('access/user')
  async issueToken(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<UserPageView> | UserPageView> {
    const tokenValues = { name: formText(body.name), expires_at: formText(body.expires_at) };
    const parsed = await validateInput(CreateTokenDto, {
      name: tokenValues.name,
      expires_at: tokenValues.expires_at === '' ? null : expiryOf(tokenValues.expires_at),
    });
    try {
      if (!parsed.ok) {
        return new PageView(await this.page(id, { tokenValues, tokenErrors: errorsByField(parsed.errors) }), {
          status: 400,
        });
      }
      const { secret } = await this.users.issueToken(id, parsed.value);
      return await this.page(id, { newToken: secret });
    } catch (error) {
      const problem = inputProblemOf(error);
      if (!problem) throw error;
      return new PageView(await this.page(id, { tokenValues, tokenErrors: errorsByField(problem.errors) }), {
        status: problem.getStatus(),
      });
    }
  }

  @Post(':id/tokens/:tokenId/revoke')
  async revokeToken(@IdParam() id: number, @IdParam('tokenId') tokenId: number): Promise<Redirect> {
    await this.users.revokeToken(id, tokenId);
    return redirectTo(`/users/${id}#tokens`, 'Token revoked');
  }

  /** Two-factor sign-in of a user who lost their phone: off, so they can set it up again. */
  @Post(':id/mfa/reset')
  @Page('access/user')
  async resetMfa(@IdParam() id: number): Promise<Redirect> {
    await this.mfa.resetByAdmin(id);
    return redirectTo(`/users/${id}#mfa`, 'Two-factor sign-in reset');
  }

  private get actingUserId(): number | null {
    return this.actors.actor?.userId ?? null;
  }

  private async change(
    id: number,
    input: UpdateUserDto,
    confirmation: string,
  ): Promise<PageView<UserPageView> | Redirect> {
    try {
      await this.users.update(id, input, this.actingUserId);
      return redirectTo(`/users/${id}`, confirmation);
    } catch (error) {
      return this.refused(id, error);
    }
  }

  private async refused(id: number, error: unknown): Promise<PageView<UserPageView>> {
    const problem = inputProblemOf(error);
    if (!problem) throw error;
    return new PageView(await this.page(id, { problem }), { status: problem.getStatus() });
  }

  private async page(
    id: number,
    extra: {
      values?: UserFormValues;
      problem?: ProblemException;
      temporaryPassword?: string;
      passwordReset?: boolean;
      resetError?: string;
      newToken?: string;
      tokenValues?: UserPageView['tokenValues'];
      tokenErrors?: Record<string, string>;
    } = {},
  ): Promise<UserPageView> {
    const [user, names, tokens] = await Promise.all([
      this.users.get(id),
      this.therapists.findNames(),
      this.users.tokensOf(id),
    ]);
    const errors = extra.problem ? errorsByField(extra.problem.errors) : {};
    const form = userFormView(
      user.name,
      formState(extra.values ?? valuesOf(user), errors, extra.problem),
      names,
    );
    return {
      ...form,
      user: {
        ...userRowOf(user, names, this.clock),
        mustChangePassword: user.mustChangePassword,
        mfaSince: user.mfaEnabledAt ? this.clock.dateTime(user.mfaEnabledAt) : null,
      },
      tokens: tokenRowsOf(tokens, this.clock),
      temporaryPassword: extra.temporaryPassword,
      passwordReset: extra.passwordReset ?? false,
      resetError: extra.resetError,
      newToken: extra.newToken,
      tokenValues: extra.tokenValues ?? { name: '', expires_at: '' },
      tokenErrors: extra.tokenErrors ?? {},
    };
  }
}

/** A date from the form's date field: the token stops working at the start of that day (UTC). */
const expiryOf = (date: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);
