import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import { validationProblem } from '../problems/problem.exception.js';
import { isApiPath } from './body-format.middleware.js';

/** Whether the handler reads the query string through `@Query()`; Nest keys its arguments `<paramtype>:<index>`. */
function readsQuery(context: ExecutionContext): boolean {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) as
    Record<string, unknown> | undefined;
  return Object.keys(args ?? {}).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY));
}

/**
 * An API endpoint that takes no query parameters refuses them (`PATCH /api/sessions/7?status=x`), instead of
 * answering as if they had not been sent. Endpoints with `@Query()` validate theirs against their DTO.
 */
export class UndeclaredQueryGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!isApiPath(request.path) || readsQuery(context)) return true;
    const names = Object.keys(request.query);
    if (names.length === 0) return true;
    throw validationProblem(
      names.map((name) => ({ field: name, message: `${name} is not a query parameter of this endpoint` })),
    );
  }
}
