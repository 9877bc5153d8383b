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
import { MikroORM } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { ProblemException, validationProblem } from '../problems/problem.exception.js';
import { inputProblems } from '../validation/input-validation.pipe.js';

interface StoredResponse {
  request_hash: string;
  status: number | null;
  body: unknown;
  location: string | null;
  etag: string | null;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const KEY_SCOPE = 'api';

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
    private readonly orm: MikroORM,
    private readonly reflector: Reflector,
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
    // A key names one request whatever its endpoint: reused on another endpoint it is refused like another body.
    // (`scope` leaves room for one namespace per client once accounts exist.)
    const scope = KEY_SCOPE;
    const target = `${request.method} ${`${request.baseUrl}${request.path}`.replace(/\/+$/, '')}`;
    const hash = createHash('sha256')
      .update(JSON.stringify([target, canonical(request.body ?? null)]))
      .digest('hex');
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const em = this.orm.em.fork();

    return from(this.claim(scope, key, hash)).pipe(
      mergeMap((stored) => {
        if (stored) return of(this.replay(stored, hash, response));
        return next.handle().pipe(
          mergeMap(async (body) => {
            await em.execute(
              `update idempotency_key set status = ?, body = ?, location = ?, etag = ? where scope = ? and key = ?`,
              [
                status,
                JSON.stringify(body),
                headerOf(response, 'Location'),
                headerOf(response, 'ETag'),
                scope,
                key,
              ],
            );
            return body;
          }),
          catchError(async (error: unknown) => {
            await em.execute(`delete from idempotency_key where scope = ? and key = ?`, [scope, key]);
            throw error;
          }),
        );
      }),
    );
  }

  /** Claims the key for this request, or returns what an earlier request with it left. */
  private async claim(scope: string, key: string, hash: string): Promise<StoredResponse | undefined> {
    const em = this.orm.em.fork();
    // Keys live 24 hours (expired ones are purged here, by the created_at index); a claim whose request died
    // without answering is released after 5 minutes.
    await em.execute(`delete from idempotency_key where created_at < now() - interval '24 hours'`);
    await em.execute(
      `delete from idempotency_key where scope = ? and key = ? and status is null and created_at < now() - interval '5 minutes'`,
      [scope, key],
    );
    const claimed = await em.execute<{ key: string }[]>(
      `insert into idempotency_key (scope, key, request_hash) values (?, ?, ?) on conflict do nothing returning key`,
      [scope, key, hash],
    );
    if (claimed.length > 0) return undefined;
    const [stored] = await em.execute<StoredResponse[]>(
      `select request_hash, status, body, location, etag from idempotency_key where scope = ? and key = ?`,
      [scope, key],
    );
    if (!stored) throw inUse();
    return stored;
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
