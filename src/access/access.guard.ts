import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import {
  ALLOWED_ROLES,
  PUBLIC_ROUTE,
  WITH_MFA_ENROLMENT_PENDING,
  WITH_TEMPORARY_PASSWORD,
} from './access.decorators.js';
import { ActorContext } from './actor-context.js';
import { AuthenticationService } from './authentication.service.js';
import { RateLimits } from './rate-limits.js';
import { capabilitiesOf, type Actor, type Role } from './roles.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Default deny, for every route of the app: a public route passes; any other needs a signed-in user or an API
 * token (401, or the sign-in page for a browser) and a role the route admits (403; none declared admits nobody).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
    private readonly actors: ActorContext,
    private readonly rateLimits: RateLimits,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const actor = await this.authenticate(request);
    // Every request a token makes counts, whatever the outcome: one upsert, after the token has proved valid.
    if (actor.tokenId !== null) await this.rateLimits.enforceApiLimit(actor.tokenId, response);
    this.actors.set(actor);
    // For the layout: who is signed in, and what the navigation may offer.
    const locals = response.locals;
    locals.userId = actor.userId;
    locals.signedIn = {
      name: actor.name,
      role: actor.role,
      admin: actor.role === 'admin',
    };
    locals.may = capabilitiesOf(actor.role);
    if (
      actor.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(WITH_TEMPORARY_PASSWORD, targets)
    ) {
      throw new ProblemException(
        'password-change-required',
        'Your password was set by an administrator: choose your own at /account/password first.',
      );
    }
    if (
      actor.mustEnrolMfa &&
      !this.reflector.getAllAndOverride<boolean>(WITH_MFA_ENROLMENT_PENDING, targets)
    ) {
      throw new ProblemException(
        'mfa-enrolment-required',
        'Your role requires two-factor sign-in: set it up at /account/mfa first.',
      );
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets) ?? [];
    if (!allowed.includes(actor.role)) {
      const route = (request.route as { path?: unknown } | undefined)?.path;
      await this.audit.record({
        action: 'access.denied',
        outcome: 'denied',
        detail: { method: request.method, route: typeof route === 'string' ? route : request.path },
      });
      throw new ProblemException('forbidden', `Your role (${actor.role}) may not do this.`);
    }
    return true;
  }

  private async authenticate(request: Request): Promise<Actor> {
    const header = request.get('Authorization');
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      const actor = token === undefined ? undefined : await this.authentication.actorFromToken(token);
      if (!actor) throw unauthenticated('The bearer token is not valid: it is unknown, expired or revoked.');
      return actor;
    }
    const actor = await this.authentication.actorFromSession(request.session);
    if (!actor) throw unauthenticated('Sign in, or send an API token as Authorization: Bearer <token>.');
    return actor;
  }
}

const unauthenticated = (detail: string): ProblemException =>
  new ProblemException('unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
