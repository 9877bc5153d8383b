import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/app-config.js';
import { isHealthProbe, pathOf, routeTemplate } from './route-template.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** A client's request id is kept only if it is a plain token: it is echoed in a header and written to logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Defence in depth: the serializers below never copy headers into a log line, but a header logged by hand
 * (`logger.info({ req })`) must not leak credentials either.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
];

/**
 * JSON lines when stdout is a pipe or a file (a log collector reads them); readable and coloured on a terminal.
 * pino-pretty runs in-process (no worker thread) and is a production dependency: `docker run -t` is a TTY too.
 */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) return pino(options, pretty({ colorize: true, sync: true }));
  // Synchronous, like console: lines keep their order with console.error's, and none is lost on process.exit().
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The signed-in user's (or token's user's) id, which the access guard leaves in Express's `res.locals`. */
function actingUserOf(response: ServerResponse): { userId?: number } {
  const userId = (response as ServerResponse & { locals?: { userId?: unknown } }).locals?.userId;
  return typeof userId === 'number' ? { userId } : {};
}

/** One line per request, written when the response is finished: id, method, route template, path, status, duration. */
export function createHttpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: requestId,
    quietReqLogger: true,
    customLogLevel: (request, response, error): Level | 'silent' => {
      if (error || response.statusCode >= 500) return 'error';
      // Probes poll every few seconds: their lines would drown the rest at info.
      return isHealthProbe(request) ? 'debug' : 'info';
    },
    customSuccessMessage: (request, response) =>
      `${request.method ?? ''} ${routeTemplate(request)} ${response.statusCode}`,
    customErrorMessage: (request, response) =>
      `${request.method ?? ''} ${routeTemplate(request)} ${response.statusCode}`,
    customSuccessObject: (request, response, value: object) => ({
      ...value,
      route: routeTemplate(request),
      ...actingUserOf(response),
    }),
    customErrorObject: (request, response, _error, value: object) => ({
      ...value,
      route: routeTemplate(request),
      ...actingUserOf(response),
    }),
    // Bodies, headers and query strings stay out: they carry patients' names, notes and credentials.
    serializers: {
      req: (request: { id: unknown; method: string; raw: IncomingMessage }) => ({
        id: request.id,
        method: request.method,
        path: pathOf(request.raw),
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  });
}

/** Nest's logger interface over pino, so Nest's own messages and every `new Logger(context)` share the output. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the context last, and for errors a stack string before it (see ConsoleLogger). */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const stack = level === 'error' && params.length === 2 ? params[0] : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message });
    } else {
      this.logger[level]({ context, ...(typeof stack === 'string' ? { stack } : {}) }, String(message));
    }
  }
}
