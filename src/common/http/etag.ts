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

const ENTITY_TAG = /^(W\/)?"([^"]*)"$/;

/**
 * The versions a conditional request accepts: `If-Match: "7"` → [7], a list → each strong tag's version, only weak
 * tags (`W/"7"`, which never match under the strong comparison If-Match uses) → [], absent or `*` → `undefined`.
 * A header that is not a list of entity tags is refused rather than ignored.
 */
export const IfMatchVersions = createParamDecorator(
  (_: unknown, context: ExecutionContext): number[] | undefined => {
    const header = context.switchToHttp().getRequest<Request>().get('If-Match');
    if (header === undefined || header.trim() === '*') return undefined;
    const tags = header.split(',').map((tag) => ENTITY_TAG.exec(tag.trim()));
    if (tags.some((tag) => tag === null)) {
      throw validationProblem([
        { field: 'If-Match', message: 'If-Match must be a list of ETags of this API, e.g. "3", or *' },
      ]);
    }
    return tags
      .filter(
        (tag): tag is RegExpExecArray =>
          tag !== null && tag[1] === undefined && /^\d{1,10}$/.test(tag[2] ?? ''),
      )
      .map((tag) => Number(tag[2]));
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
