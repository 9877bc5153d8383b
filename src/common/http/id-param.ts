import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { validationProblem } from '../problems/problem.exception.js';

/** Largest value of a PostgreSQL `integer`, the type of every id. */
export const MAX_ID = 2_147_483_647;

/** A canonical positive integer id (`7`, not `07`, `7.0` or `1e3`) within PostgreSQL's integer range. */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}

/**
 * A positive integer id from the route, e.g. `/api/sessions/:id`. A custom decorator rather than `@Param()` +
 * pipe, because the global ValidationPipe would first coerce `@Param() id: number` with `+value` (`1e3` → 1000).
 */
export const IdParam = createParamDecorator((name: string | undefined, context: ExecutionContext): number => {
  const field = name ?? 'id';
  const id = parseId(context.switchToHttp().getRequest<Request>().params[field]);
  if (id === undefined) {
    throw validationProblem([{ field, message: `${field} must be a positive integer id` }]);
  }
  return id;
});
