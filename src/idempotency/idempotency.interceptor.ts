import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { ActorContext } from '../access/actor-context.js';
import { ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import { inputProblems } from '../common/validation/input-validation.pipe.js';
import { IdempotencyKeyRepository, type StoredResponse } from './idempotency-key.repository.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its response is kept for 24 hours; a retry
 * with the same key, endpoint and body gets that response again (`Idempotent-Replayed: true`) without running
 * anything; the same key with another body or on another endpoint is refused (422), and so is one while the first is still running (409). A request
 * that fails keeps nothing, so it can be retried. Bind it at controller level, so it wraps every other
 * interceptor and keeps the final Location and ETag.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly reflector: Reflector,
    private readonly actors: ActorContext,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const key = request.get('Idempotency-Key');
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      throw validationProblem([
        { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
      ]);
    }
    // Interceptors run before pipes: refuse a body nested too deeply for the recursive hash before hashing it.
    const { tooDeep } = inputProblems(request.body, '');
    if (tooDeep) throw validationProblem([tooDeep]);
    // A key names one request of one user whatever its endpoint: reused on another endpoint it is refused like
    // another body; another user's same key is another request (and never replays that user's response).
    const claim = { scope: `user:${this.actors.actor?.userId ?? 'anonymous'}`, key };
    const target = `${request.method} ${`${request.baseUrl}${request.path}`.replace(/\/+$/, '')}`;
    const hash = createHash('sha256')
      .update(JSON.stringify([target, canonical(request.body ?? null)]))
      .digest('hex');
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    return from(this.keys.claim(claim, hash)).pipe(
      mergeMap((stored) => {
        if (stored === null) throw inUse();
        if (stored) return of(this.replay(stored, hash, response));
        return next.handle().pipe(
          mergeMap(async (body) => {
            const location = headerOf(response, 'Location');
            await this.keys.complete(claim, { status, body, location, etag: headerOf(response, 'ETag') });
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.keys.release(claim);
            throw error;
          }),
        );
      }),
    );
  }

  private replay(stored: StoredResponse, hash: string, response: Response): unknown {
    if (stored.request_hash !== hash) {
      throw new ProblemException(
        'idempotency-key-reused',
        'This Idempotency-Key was already used for a different request (another endpoint or body). Use a new key for a new request.',
        { status: HttpStatus.UNPROCESSABLE_ENTITY },
      );
    }
    if (stored.status === null) throw inUse();
    response.status(stored.status);
    response.setHeader('Idempotent-Replayed', 'true');
    if (stored.location) response.setHeader('Location', stored.location);
    if (stored.etag) response.setHeader('ETag', stored.etag);
    return stored.body;
  }
}

/** The same JSON with its object keys in any order is the same request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

const inUse = (): ProblemException =>
  new ProblemException(
    'idempotency-key-in-use',
    'A request with this Idempotency-Key is still being processed; retry shortly.',
  );

function headerOf(response: Response, name: string): string | null {
  const value = response.getHeader(name);
  return typeof value === 'string' ? value : null;
}
