import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, map, mergeMap, type Observable } from 'rxjs';
import { AuditService } from '../audit/audit.service.js';
import { PageView, Redirect } from '../common/web/page.js';
import { RateLimits } from './rate-limits.js';

/**
 * The sign-in form's rate limit: counts the attempt before the handler checks the password and, once the address
 * or the account has used up its attempts, answers the sign-in page itself with 429, `Retry-After` and a message
 * next to the form. A sign-in that succeeds (the handler redirects) is given back; a form without an e-mail or a
 * password is not counted.
 */
@Injectable()
export class SignInRateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly rateLimits: RateLimits,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const body = request.body as Record<string, unknown> | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim() : '';
    // A form sent without an e-mail or a password checks no password: it is not a guess, and costs nothing.
    if (!email || typeof body?.password !== 'string' || !body.password) return next.handle();
    return from(this.rateLimits.signInAttempt(request.ip, email)).pipe(
      mergeMap((refusal) => {
        if (refusal) {
          response.set('Retry-After', String(refusal.retryAfterSeconds));
          return from(this.audit.recordSignInFailure('rate_limited', email)).pipe(
            map(() => refusedPage(request, email, refusal.retryAfterSeconds)),
          );
        }
        return next.handle().pipe(
          mergeMap(async (result) => {
            if (result instanceof Redirect) await this.rateLimits.signInSucceeded(request.ip, email);
            return result;
          }),
        );
      }),
    );
  }
}

/**
 * The sign-in page with the refusal as its message; the form posts back to the same URL (whose `next` the
 * handler checks, as for any attempt).
 */
const refusedPage = (request: Request, email: string, seconds: number): PageView =>
  new PageView(
    {
      title: 'Sign in',
      action: request.originalUrl,
      email,
      message:
        `Too many sign-in attempts from this address or for this account. ` +
        `Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, then try again.`,
    },
    { status: 429 },
  );

/**
 * Put it above `@Page(…)`: the page's interceptor must wrap this one, to render the refusal it returns and so
 * that this one sees the handler's result (a redirect means the password was right).
 */
export const SignInRateLimited = (): MethodDecorator => UseInterceptors(SignInRateLimitInterceptor);
