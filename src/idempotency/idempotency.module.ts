import { Global, Module } from '@nestjs/common';
import { IdempotencyKeyRepository } from './idempotency-key.repository.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/** Global: any API controller may bind the interceptor, which needs the key store in its module's scope. */
@Global()
@Module({
  providers: [IdempotencyKeyRepository, IdempotencyInterceptor],
  exports: [IdempotencyKeyRepository, IdempotencyInterceptor],
})
export class IdempotencyModule {}
