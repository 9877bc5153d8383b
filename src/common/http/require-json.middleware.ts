import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from '../problems/problem.exception.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(request: Request): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0
  );
}

/**
 * The API speaks JSON only: a body in any other format would be ignored by the JSON parser, so it is refused
 * with 415 instead of being silently dropped.
 */
export function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (
    METHODS_WITH_BODY.has(request.method) &&
    hasBody(request) &&
    !request.is(['application/json', 'application/*+json'])
  ) {
    next(new ProblemException('unsupported-media-type', 'Send the body as application/json.'));
    return;
  }
  next();
}
