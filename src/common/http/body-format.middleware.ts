import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from '../problems/problem.exception.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(request: Request): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0
  );
}

/**
 * A body only goes where it is read, in the format its parser reads; anything else would be ignored, so it is
 * refused instead of being silently dropped: 415 for another format, 400 for a body on GET or DELETE.
 */
function requireBodyFormat(types: string[], expected: string) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!hasBody(request)) {
      next();
    } else if (!METHODS_WITH_BODY.has(request.method)) {
      next(new ProblemException('bad-request', `A ${request.method} request takes no body.`));
    } else if (!request.is(types)) {
      next(new ProblemException('unsupported-media-type', `Send the body as ${expected}.`));
    } else {
      next();
    }
  };
}

export const isApiPath = (path: string): boolean => /^\/api(\/|$)/.test(path);

const requireJsonBody = requireBodyFormat(['application/json', 'application/*+json'], 'application/json');
const requireFormBody = requireBodyFormat(
  ['application/x-www-form-urlencoded'],
  'an HTML form (application/x-www-form-urlencoded)',
);

/** Before the body parsers: the API speaks JSON only, the pages take HTML form posts. */
export function requireBodyFormatOfRoute(request: Request, response: Response, next: NextFunction): void {
  (isApiPath(request.path) ? requireJsonBody : requireFormBody)(request, response, next);
}

/** After the body parsers: a page post without a body is an empty form, whose missing fields validation reports. */
export function defaultEmptyForm(request: Request, _response: Response, next: NextFunction): void {
  if (!isApiPath(request.path) && METHODS_WITH_BODY.has(request.method) && request.body === undefined) {
    request.body = {};
  }
  next();
}
