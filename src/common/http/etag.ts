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
  constructor(private readonly versionOf: (body: unknown) => number | undefined) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = this.versionOf(body);
        if (version !== undefined) response.setHeader('ETag', etagOf(version));
        return body;
      }),
    );
  }
}

/**
 * Answers with `ETag: "<version>"` of the resource the request addressed, for `If-Match` on later changes: by
 * default the returned resource itself.
 */
export const VersionEtag = (
  versionOf: (body: unknown) => number | undefined = (body) => (body as { version: number }).version,
): MethodDecorator & ClassDecorator => UseInterceptors(new VersionEtagInterceptor(versionOf));
