import { parse as parseQueryString } from 'node:querystring';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import {
  ProblemDetailsFilter,
  problemErrorMiddleware,
  sendClientErrorProblem,
} from './common/problems/problem-details.filter.js';
import { defaultEmptyForm, requireBodyFormatOfRoute } from './common/http/body-format.middleware.js';
import { UndeclaredQueryGuard } from './common/http/undeclared-query.guard.js';
import { InputValidationPipe } from './common/validation/input-validation.pipe.js';
import { provideToValidators } from './common/validation/refers-to.js';
import { configureWebSessions } from './access/web-session.js';
import { configureViews } from './common/web/views.setup.js';
import type { AppConfig } from './config/app-config.js';
import { createHttpLogger } from './observability/logger.js';
import { MetricsService } from './observability/metrics.service.js';
import { ROOT_LOGGER } from './observability/observability.module.js';
import { API_DOCS_PATH, setupOpenApi } from './openapi/openapi.js';

export const BODY_LIMIT = '100kb';

/**
 * No inline script or style anywhere in the pages: htmx is configured by a meta tag, styles live in files.
 * `upgrade-insecure-requests` (a helmet default) is left out: the app serves plain HTTP, and a browser told to
 * upgrade would fetch the CSS and htmx over HTTPS from any host but localhost, and break the pages.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  upgradeInsecureRequests: null,
};

/**
 * Everything about the HTTP layer that main.ts and the tests must share, so tests exercise the real app.
 * Call before `app.init()`/`listen()`.
 */
export async function configureApp(
  app: NestExpressApplication,
  config: AppConfig,
): Promise<NestExpressApplication> {
  // First, so that every request is timed and logged, including those a later middleware answers (400, 413 …).
  app.use(createHttpLogger(app.get<Logger>(ROOT_LOGGER)));
  app.use(app.get(MetricsService).middleware);
  app.disable('x-powered-by');
  // ETags are the session's version (set explicitly), not hashes of whatever body Express sends.
  app.set('etag', false);
  // No Strict-Transport-Security either: it is for the TLS-terminating proxy in front to send, over HTTPS.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY },
      strictTransportSecurity: false,
    }),
  );
  // Swagger UI's page carries inline <style> blocks and style attributes; everything else stays strict.
  app.use(
    `/${API_DOCS_PATH}`,
    helmet.contentSecurityPolicy({
      directives: { ...CONTENT_SECURITY_POLICY, styleSrc: ["'self'", "'unsafe-inline'"] },
    }),
  );
  await configureViews(
    app,
    {
      clinicName: config.clinicName,
      locale: config.clinicLocale,
      // The sign-in page's "Sign in with …" button, when a provider is configured.
      singleSignOn: config.oidc ? { label: config.oidc.buttonLabel } : undefined,
    },
    { cache: config.nodeEnv !== 'development' },
  );
  app.getHttpServer().on('clientError', sendClientErrorProblem);
  app.set('trust proxy', 'loopback');
  // Express's default stops reading after 1 000 parameters, silently; Node's own 16 kB URL limit bounds them.
  app.set('query parser', (query: string) => parseQueryString(query, '&', '=', { maxKeys: 0 }));
  app.use(requireBodyFormatOfRoute);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(defaultEmptyForm);
  await configureWebSessions(app, config.access);
  app.use(provideToValidators(app));
  app.use(problemErrorMiddleware);
  app.useGlobalGuards(new UndeclaredQueryGuard());
  app.useGlobalPipes(new InputValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupOpenApi(app);
  return app;
}
