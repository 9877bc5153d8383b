import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/postgresql';
import connectPgSimple from 'connect-pg-simple';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import type { Pool } from 'pg';
import { isApiPath } from '../common/http/body-format.middleware.js';
import type { AccessConfig } from '../config/access-config.js';
import { isHealthProbe } from '../observability/route-template.js';
import { ActorContext } from './actor-context.js';
import './session-data.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
/** `__Host-` (HTTPS only, this host only, path /) where the cookie is Secure. */
export const sessionCookieName = (access: AccessConfig): string =>
  access.cookieSecure ? '__Host-sid' : 'sid';

/** Forms posted before sign-in that still carry the CSRF token: the password step and the code step. */
const SIGN_IN_FORMS = new Set(['/login', '/login/mfa']);

/** An API client sending a bearer token has no cookie a forged request could ride on: it needs no CSRF token. */
const sendsBearerToken = (request: Request): boolean => request.get('Authorization') !== undefined;

/**
 * Server-side sessions in PostgreSQL (every instance shares them) behind an HttpOnly, SameSite=Lax cookie, and
 * CSRF protection (a signed double-submit token bound to the session) for every state-changing request that a
 * cookie authenticates, including the sign-in form. Call after the body parsers.
 */
export async function configureWebSessions(app: NestExpressApplication, access: AccessConfig): Promise<void> {
  const pool: Pool = await app.get(MikroORM).em.getConnection().getNativeClient();
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'http_session',
    // Each row expires with its cookie; the guard enforces the idle timeout, so no write per request.
    disableTouch: true,
    // Expired rows are deleted every 15 minutes or so, by whichever instance gets there first.
    pruneSessionInterval: 15 * 60,
  });
  app.use(cookieParser());
  const sessions = session({
    name: sessionCookieName(access),
    secret: access.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // Only signing out destroys a session: a store that failed to load one (an outage) must not delete it too.
    unset: 'keep',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: access.cookieSecure,
      path: '/',
      maxAge: access.absoluteLifetimeMs,
    },
  });
  app.use(exceptForProbes(sessions));
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => access.sessionSecret,
    // Bound to the signed-in session; before sign-in every visitor shares one identifier, and the token still
    // has to match the cookie this browser was given.
    getSessionIdentifier: (request) => (request.session.userId === undefined ? '' : request.sessionID),
    cookieName: access.cookieSecure ? '__Host-csrf' : 'csrf',
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: access.cookieSecure, path: '/' },
    getCsrfTokenFromRequest: (request) => {
      const field = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      return request.get(CSRF_HEADER) ?? (typeof field === 'string' ? field : undefined);
    },
    skipCsrfProtection: (request) =>
      sendsBearerToken(request) || (request.session.userId === undefined && !SIGN_IN_FORMS.has(request.path)),
  });
  app.use(exceptForProbes(doubleCsrfProtection));
  app.use(
    exceptForProbes((request: Request, response: Response, next: NextFunction) => {
      const body = request.body as Record<string, unknown> | undefined;
      // The token has done its job; the forms' validation would otherwise refuse it as an unknown field.
      if (body && typeof body === 'object' && CSRF_FIELD in body) {
        const { [CSRF_FIELD]: _token, ...rest } = body;
        request.body = rest;
      }
      if (!isApiPath(request.path) && request.accepts('html')) {
        response.locals.csrfToken = generateCsrfToken(request, response);
      }
      next();
    }),
  );
  app.use(app.get(ActorContext).middleware);
  app.getHttpServer().once('close', () => {
    store.close();
  });
}

type Middleware = (request: Request, response: Response, next: NextFunction) => void;

/** Probes run every few seconds: they must not depend on (or add load to) the session store. */
const exceptForProbes =
  (middleware: Middleware): Middleware =>
  (request, response, next) => {
    if (isHealthProbe(request)) next();
    else middleware(request, response, next);
  };
