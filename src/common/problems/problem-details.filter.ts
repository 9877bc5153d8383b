import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import {
  describeDatabaseError,
  isDatabaseOutage,
  problemFromDatabaseError,
  RETRY_AFTER_SECONDS,
} from './database-problems.js';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  problemTypeForStatus,
  problemTypeUri,
  type ProblemDetails,
} from './problem-details.js';
import { ProblemException, validationProblem } from './problem.exception.js';
import { isApiPath } from '../http/body-format.middleware.js';
import { BODY_FIELD } from '../validation/body-rules.js';
import { isHtmx } from '../web/htmx.js';
import { pageToReturnTo } from '../web/local-path.js';
import { isError } from '../errors.js';

/** Errors raised by Express middleware (body-parser) carry their HTTP status and a machine-readable type. */
interface HttpMiddlewareError {
  status: number;
  type?: string;
  expose?: boolean;
  message: string;
  /** body-parser: the raw text it failed to parse. */
  body?: unknown;
  code?: unknown;
}

/** Strict JSON parsing refuses a body that is valid JSON but not an object or array, e.g. `null` or `"text"`. */
function isJson(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A gzip/deflate/br body that does not decompress: zlib's error codes are `Z_DATA_ERROR`, `Z_BUF_ERROR` … */
const isZlibError = (error: HttpMiddlewareError): boolean =>
  typeof error.code === 'string' && (error.code.startsWith('Z_') || error.code.startsWith('ERR_BROTLI'));

/** csrf-csrf's refusal (an http-errors 403 with this code). */
const isCsrfError = (error: unknown): boolean =>
  isError(error) && 'code' in error && error.code === 'EBADCSRFTOKEN';

function isHttpMiddlewareError(error: unknown): error is HttpMiddlewareError {
  return (
    isError(error) &&
    'status' in error &&
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500
  );
}

/** Turns any exception into an RFC 9457 problem; the only place that decides what an error looks like. */
export function toProblemException(error: unknown): ProblemException {
  if (error instanceof ProblemException) return error;
  if (isCsrfError(error)) {
    return new ProblemException(
      'csrf-token-invalid',
      'The request did not carry this site’s CSRF token, or it has expired: reload the page and try again.',
    );
  }
  if (isError(error) && error.message.startsWith('Failed to decode param')) {
    return validationProblem([{ field: 'path', message: 'The URL path is not valid percent-encoding' }]);
  }
  const fromDatabase = problemFromDatabaseError(error);
  if (fromDatabase) return fromDatabase;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const type = problemTypeForStatus(status);
    const detail = status >= 500 ? PROBLEM_TYPES['internal-error'].title : error.message;
    return new ProblemException(type, detail, { status });
  }
  if (isHttpMiddlewareError(error)) {
    if (error.type === 'entity.parse.failed') {
      // Valid JSON of the wrong shape is refused as the validation pipe refuses an array: in the same words.
      return isJson(error.body)
        ? validationProblem([{ field: BODY_FIELD, message: 'the body must be a JSON object' }])
        : new ProblemException('malformed-json', 'The request body could not be parsed as JSON.');
    }
    if (isZlibError(error)) {
      return new ProblemException(
        'bad-request',
        'The request body could not be decompressed as its Content-Encoding says.',
      );
    }
    if (error.type === 'entity.too.large') {
      return new ProblemException('payload-too-large', 'The request body exceeds the limit of 100 kB.');
    }
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      return new ProblemException('unsupported-media-type', error.message, { status: 415 });
    }
    return new ProblemException(
      problemTypeForStatus(error.status),
      error.expose ? error.message : 'Bad request',
      {
        status: error.status,
      },
    );
  }
  return new ProblemException('internal-error', 'An unexpected error occurred. It has been logged.');
}

export function toProblemDetails(exception: ProblemException, instance?: string): ProblemDetails {
  return {
    ...exception.extensions,
    type: problemTypeUri(exception.problemType),
    title: exception.title,
    status: exception.getStatus(),
    detail: exception.message,
    ...(instance ? { instance } : {}),
    errors: exception.errors,
  };
}

const logger = new Logger('Errors');

/**
 * Writes any error in the caller's language: problem+json under /api, an HTML page (or, for htmx, a fragment
 * to swap in) for the staff pages. Logs the ones that are the server's fault.
 */
export function sendProblem(error: unknown, request: Request, response: Response): void {
  const problem = toProblemException(error);
  const outage = isDatabaseOutage(error);
  if (outage) {
    // A known outage: one line per request (a stack trace would repeat itself on every request); the path
    // without its query string, never the body, either of which may hold a patient's details.
    logger.error(`${request.method} ${request.path}: database unavailable (${describeDatabaseError(error)})`);
  } else if (problem.getStatus() >= 500) {
    // One log line whatever the logger: the stack goes in a field of the JSON line, with the request's id.
    logger.error({ err: isError(error) ? error : new Error(String(error)), reqId: request.id });
  }
  if (response.headersSent) return;
  const details = toProblemDetails(problem, request.originalUrl);
  const api = isApiPath(request.path) || !request.accepts('html');
  if (problem.problemType === 'unauthorized' && !api) {
    sendTo(`/login?next=${encodeURIComponent(pageToReturnTo(request))}`, request, response);
    return;
  }
  if (problem.problemType === 'password-change-required' && !api) {
    sendTo(CHANGE_PASSWORD_PATH, request, response);
    return;
  }
  if (problem.problemType === 'mfa-enrolment-required' && !api) {
    sendTo(MFA_ENROLMENT_PATH, request, response);
    return;
  }
  response.status(problem.getStatus()).set(problem.headers);
  if (problem.problemType === 'service-unavailable') response.set('Retry-After', String(RETRY_AFTER_SECONDS));
  if (api) {
    response.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(details));
    return;
  }
  response.vary('HX-Request');
  // Nest's own 404 for a URL no route matches (a missing record is a ProblemException): a page, not a problem.
  const noSuchPage = error instanceof NotFoundException && !isHtmx(request);
  const template = isHtmx(request)
    ? 'errors/_error'
    : noSuchPage
      ? 'errors/not-found'
      : outage
        ? 'errors/unavailable'
        : 'errors/error';
  response.render(
    template,
    {
      problem: details,
      title: noSuchPage ? 'Page not found' : outage ? 'Temporarily unavailable' : details.title,
      path: request.path,
      layout: isHtmx(request) ? false : undefined,
    },
    (renderError: Error | null, html) => {
      if (renderError) {
        logger.error(renderError.stack ?? renderError.message);
        response.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(details));
        return;
      }
      response.type('html').send(html);
    },
  );
}

/** Where a user with a temporary password is sent before anything else. */
export const CHANGE_PASSWORD_PATH = '/account/password';

/** Where a user whose role requires two-factor sign-in is sent until they have set it up. */
export const MFA_ENROLMENT_PATH = '/account/mfa';

/**
 * A page that must wait: to the sign-in page (which comes back here afterwards) or to choosing a password; for
 * htmx, a full navigation rather than a fragment.
 */
function sendTo(url: string, request: Request, response: Response): void {
  response.vary('HX-Request');
  if (isHtmx(request)) response.set('HX-Redirect', url).status(200).end();
  else response.redirect(303, url);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<Request>(), http.getResponse<Response>());
  }
}

/** Express error middleware for failures before Nest's router (body parsing), which Nest filters never see. */
export function problemErrorMiddleware(
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  if (response.headersSent) {
    next(error);
    return;
  }
  sendProblem(error, request, response);
}

/**
 * Requests Node's HTTP parser rejects (e.g. headers or a URL over 16 kB) never reach Express; answer them in the
 * same problem+json shape instead of Node's bare status line.
 */
export function sendClientErrorProblem(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, title, detail } = clientErrorOf(error.code);
  const body = JSON.stringify(
    toProblemDetails(new ProblemException('bad-request', detail, { status, title })),
  );
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Node reports headers or a body slower than headersTimeout / requestTimeout as ERR_HTTP_REQUEST_TIMEOUT. */
function clientErrorOf(code: string | undefined): {
  status: number;
  reason: string;
  title: string;
  detail: string;
} {
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      title: 'Request header fields too large',
      detail: 'The request headers or URL are too large.',
    };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      status: 408,
      reason: 'Request Timeout',
      title: 'Request timeout',
      detail: 'The request did not arrive in time.',
    };
  return { status: 400, reason: 'Bad Request', title: 'Bad request', detail: 'Malformed HTTP request.' };
}
