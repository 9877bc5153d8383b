import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AccessGuard } from './access.guard.js';
import { AccountPagesController } from './account.pages.controller.js';
import { AccessScope } from './access-scope.js';
import { RowSecurity, RowSecurityInterceptor } from './row-security.js';
import { ActorContext } from './actor-context.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokensService } from './api-tokens.service.js';
import { MfaPagesController } from './mfa.pages.controller.js';
import { MfaRecoveryCode } from './mfa-recovery-code.entity.js';
import { MfaSecretCipher } from './mfa-secret-cipher.js';
import { MfaService } from './mfa.service.js';
import { MfaSignInPagesController } from './mfa-sign-in.pages.controller.js';
import { AuthenticationService } from './authentication.service.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RateLimits } from './rate-limits.js';
import { SingleSignOnPagesController } from './single-sign-on.pages.controller.js';
import { SingleSignOnService } from './single-sign-on.service.js';
import { SignInPagesController } from './sign-in.pages.controller.js';
import { SignInRepository } from './sign-ins.repository.js';
import { SignInsPagesController } from './sign-ins.pages.controller.js';
import { SignInsService } from './sign-ins.service.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { User } from './user.entity.js';
import { UsersApiController } from './users.api.controller.js';
import { UsersPagesController } from './users.pages.controller.js';
import { UsersService } from './users.service.js';

/** Users, sign-in, tokens and the guard that makes every route closed unless a role is given it. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([User, ApiToken, MfaRecoveryCode, Therapist])],
  controllers: [
    SignInPagesController,
    MfaSignInPagesController,
    AccountPagesController,
    MfaPagesController,
    SignInsPagesController,
    SingleSignOnPagesController,
    UsersApiController,
    UsersPagesController,
  ],
  providers: [
    ActorContext,
    AccessScope,
    AuthenticationService,
    ApiTokensService,
    UsersService,
    SignInRepository,
    SignInsService,
    SingleSignOnService,
    MfaService,
    MfaSecretCipher,
    RateLimitStore,
    RateLimits,
    RowSecurity,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: RowSecurityInterceptor },
  ],
  exports: [ActorContext, AccessScope, RowSecurity, AuthenticationService, ApiTokensService, UsersService],
})
export class AccessModule {}
