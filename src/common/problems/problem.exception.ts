import { HttpException } from '@nestjs/common';
import { PROBLEM_TYPES, type FieldError, type ProblemType } from './problem-details.js';

export interface ProblemOptions {
  errors?: FieldError[];
  /** Extra members for the problem document (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  /** Overrides the catalogue status, e.g. a 412 or 422 that shares a generic type. */
  status?: number;
  title?: string;
  /** Response headers that belong with this problem, e.g. `WWW-Authenticate` or `Retry-After`. */
  headers?: Record<string, string>;
}

/** An HTTP error that knows its problem type; services throw these and the filter renders them. */
export class ProblemException extends HttpException {
  readonly problemType: ProblemType;
  readonly errors: FieldError[];
  readonly extensions: Record<string, unknown>;
  readonly title: string;
  readonly headers: Record<string, string>;

  constructor(type: ProblemType, detail: string, options: ProblemOptions = {}) {
    const status = options.status ?? PROBLEM_TYPES[type].status;
    super(detail, status);
    this.problemType = type;
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
    this.title = options.title ?? PROBLEM_TYPES[type].title;
    this.headers = options.headers ?? {};
  }
}

export const validationProblem = (errors: FieldError[], detail?: string): ProblemException =>
  new ProblemException('validation-error', detail ?? errors.map((error) => error.message).join('; '), {
    errors,
  });

export const notFoundProblem = (detail: string): ProblemException =>
  new ProblemException('not-found', detail);

export const conflictProblem = (detail: string, extensions?: Record<string, unknown>): ProblemException =>
  new ProblemException('conflict', detail, { extensions });
