import {
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { validationProblem } from '../problems/problem.exception.js';

export const etagOf = (version: number): string => `"${version}"`;

/**
 * The version a conditional request expects (`If-Match: "7"`), `undefined` when the header is absent or `*`.
 * Anything else is refused rather than ignored.
 */
export const IfMatchVersion = createParamDecorator(
  (_: unknown, context: ExecutionContext): number | undefined => {
    const header = context.switchToHttp().getRequest<Request>().get('If-Match');
    if (header === undefined || header.trim() === '*') return undefined;
    const match = /^\s*"(\d{1,10})"\s*$/.exec(header);
    if (!match) {
      throw validationProblem([
        { field: 'If-Match', message: 'If-Match must be an ETag of this API, e.g. "3", or *' },
      ]);
    }
    return Number(match[1]);
  },
);

class VersionEtagInterceptor implements NestInterceptor {
  intercept(
    context: ExecutionContext,
    next: CallHandler<{ version: number }>,
  ): Observable<{ version: number }> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body) => {
        response.setHeader('ETag', etagOf(body.version));
        return body;
      }),
    );
  }
}

/** Answers with `ETag: "<version>"` of the returned resource, for `If-Match` on later changes. */
export const VersionEtag = (): MethodDecorator & ClassDecorator =>
  UseInterceptors(new VersionEtagInterceptor());
