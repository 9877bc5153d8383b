import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AccessGuard } from './access.guard.js';
import { ActorContext } from './actor-context.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthenticationService } from './authentication.service.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RateLimits } from './rate-limits.js';
import { SignInPagesController } from './sign-in.pages.controller.js';
import { User } from './user.entity.js';

/** Users, sign-in, tokens and the guard that makes every route closed unless a role is given it. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([User, ApiToken])],
  controllers: [SignInPagesController],
  providers: [
    ActorContext,
    AuthenticationService,
    ApiTokensService,
    RateLimitStore,
    RateLimits,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [ActorContext, AuthenticationService, ApiTokensService],
})
export class AccessModule {}
