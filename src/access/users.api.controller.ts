import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Created } from '../common/http/created.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import {
  ApiProblems,
  COMMON_PROBLEMS,
  type ProblemExample,
} from '../common/problems/api-problem-responses.decorator.js';
import { LOCATION_HEADER } from '../openapi/api-headers.js';
import { AdminOnly } from './access.decorators.js';
import { ActorContext } from './actor-context.js';
import {
  CreateTokenDto,
  CreateUserDto,
  IssuedTokenResponse,
  TokenListResponse,
  UpdateUserDto,
  UserListResponse,
  UserResponse,
} from './dto/user.dto.js';
import {
  toChangedUserResponse,
  toIssuedTokenResponse,
  toTokenResponse,
  toUserResponse,
} from './user.mapper.js';
import { MfaService } from './mfa.service.js';
import { UsersService } from './users.service.js';

const EMAIL_TAKEN: ProblemExample = {
  type: 'conflict',
  description: 'Another user has this e-mail address',
  detail: 'A user with this e-mail address already exists.',
  errors: [{ field: 'email', message: 'email is already used by another user' }],
};

/** User administration and API tokens: admins only. */
@ApiTags('Users')
@AdminOnly()
@Controller('api/users')
export class UsersApiController {
  constructor(
    private readonly users: UsersService,
    private readonly actors: ActorContext,
    private readonly mfa: MfaService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users', description: 'Every staff account, by name.' })
  @ApiOkResponse({ type: UserListResponse })
  async list(): Promise<UserListResponse> {
    return { data: (await this.users.list()).map(toUserResponse) };
  }

  @Post()
  @Created()
  @ApiOperation({
    summary: 'Create a user',
    description: 'The password given is temporary: the user chooses their own at their first sign-in.',
  })
  @ApiCreatedResponse({ type: UserResponse, headers: LOCATION_HEADER })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'password', message: 'password must be between 12 and 256 characters' },
    ]),
    EMAIL_TAKEN,
    COMMON_PROBLEMS.malformedJson,
  )
  async create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.users.create(body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one user' })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('user'))
  async get(@IdParam() id: number): Promise<UserResponse> {
    return toUserResponse(await this.users.get(id));
  }

  @Patch(':id')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Change a user',
    description:
      'Name, role, therapist, `disabled` (ends their sessions and revokes their tokens at once) or ' +
      '`reset_password: true` (answers a generated temporary password once, or sets the `password` given; it ' +
      'must be changed at the next sign-in). A reset ends every session of the user.',
  })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'role', message: 'role must be one of: admin, receptionist, therapist' },
      { field: 'password', message: 'Leave your e-mail address and your name out of your password.' },
    ]),
    COMMON_PROBLEMS.notFound('user'),
    {
      type: 'conflict',
      description: 'It would leave no enabled admin',
      detail: 'This user is the only enabled admin: make another admin first.',
    },
  )
  async update(@IdParam() id: number, @Body() body: UpdateUserDto): Promise<UserResponse> {
    return toChangedUserResponse(await this.users.update(id, body, this.actors.actor?.userId ?? null));
  }

  @Get(':id/tokens')
  @ApiOperation({ summary: 'List a user’s API tokens', description: 'Never the tokens themselves.' })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiOkResponse({ type: TokenListResponse })
  @ApiProblems(COMMON_PROBLEMS.notFound('user'))
  async tokens(@IdParam() id: number): Promise<TokenListResponse> {
    return { data: (await this.users.tokensOf(id)).map(toTokenResponse) };
  }

  @Post(':id/tokens')
  @Header('Cache-Control', 'no-store')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Issue an API token for a user',
    description: 'The answer holds the token, shown this once; it acts with the user’s role.',
  })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiCreatedResponse({ type: IssuedTokenResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'expires_at', message: 'expires_at must be in the future' }]),
    COMMON_PROBLEMS.notFound('user'),
  )
  async issueToken(@IdParam() id: number, @Body() body: CreateTokenDto): Promise<IssuedTokenResponse> {
    return toIssuedTokenResponse(await this.users.issueToken(id, body));
  }

  @Delete(':id/tokens/:tokenId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API token', description: 'It is refused from the next request on.' })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiParam({ name: 'tokenId', type: Number, example: 7 })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiProblems(COMMON_PROBLEMS.notFound('token'))
  async revokeToken(@IdParam() id: number, @IdParam('tokenId') tokenId: number): Promise<void> {
    await this.users.revokeToken(id, tokenId);
  }

  @Delete(':id/mfa')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Reset a user’s two-factor sign-in',
    description:
      'For a lost phone: removes the TOTP secret and the recovery codes. The user then signs in with their ' +
      'password alone and, where MFA_REQUIRED applies to their role, must set it up again first.',
  })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiNoContentResponse({ description: 'Reset (or it was off already).' })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('user'))
  async resetMfa(@IdParam() id: number): Promise<void> {
    await this.mfa.resetByAdmin(id);
  }
}
