import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  ProblemDetailsFilter,
  problemErrorMiddleware,
  sendClientErrorProblem,
} from './common/problems/problem-details.filter.js';
import { requireJsonBody } from './common/http/require-json.middleware.js';
import { RejectUnstorableInputPipe } from './common/validation/reject-unstorable-input.pipe.js';
import { validationExceptionFactory } from './common/validation/validation-errors.js';
import { setupOpenApi } from './openapi/openapi.js';

export const BODY_LIMIT = '100kb';

/**
 * Everything about the HTTP layer that main.ts and the tests must share, so tests exercise the real app.
 * Call before `app.init()`/`listen()`.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  app.getHttpServer().on('clientError', sendClientErrorProblem);
  app.set('trust proxy', 'loopback');
  app.use('/api', requireJsonBody);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(problemErrorMiddleware);
  app.useGlobalPipes(
    new RejectUnstorableInputPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupOpenApi(app);
  return app;
}
