/** RFC 9457 problem details, the one error shape of the API. */
export interface FieldError {
  /** The request field (body property or query parameter) the message is about; `body` for the body as a whole. */
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors: FieldError[];
  /** Extension members, e.g. the session a booking collides with. */
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Every problem type the API can return, defined once: the filter, the OpenAPI document and the README use
 * this catalogue. `type` URIs are relative references resolved against the API's own origin.
 */
export const PROBLEM_TYPES = {
  'validation-error': { status: 400, title: 'Your request is not valid' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'bad-request': { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for your role' },
  'password-change-required': { status: 403, title: 'Choose your own password first' },
  'mfa-enrolment-required': { status: 403, title: 'Set up two-factor sign-in first' },
  'csrf-token-invalid': { status: 403, title: 'The form has expired or did not come from this site' },
  'not-found': { status: 404, title: 'Resource not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'possible-duplicate': { status: 409, title: 'This may be someone already on file' },
  'status-transition-not-allowed': { status: 409, title: 'Status change not allowed' },
  'session-overlap': { status: 409, title: 'The session overlaps another one' },
  'outside-working-hours': { status: 409, title: 'Outside the therapist’s working hours' },
  'within-buffer': { status: 409, title: 'Too close to another session' },
  'therapist-unavailable': { status: 409, title: 'The therapist is away then' },
  'clinic-closed': { status: 409, title: 'The clinic is closed then' },
  'series-not-bookable': { status: 409, title: 'The series cannot be booked' },
  'not-reschedulable': { status: 409, title: 'Only a scheduled session can be rescheduled' },
  'idempotency-key-in-use': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
  'precondition-failed': { status: 412, title: 'The resource has changed since you read it' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export function problemTypeUri(type: ProblemType): string {
  return `/problems/${type}`;
}

/** The catalogue entry whose status matches, for exceptions that carry only an HTTP status. */
export function problemTypeForStatus(status: number): ProblemType {
  // Field errors have their own type; a bare 400 says nothing about fields.
  if (status === 400) return 'bad-request';
  const match = (Object.keys(PROBLEM_TYPES) as ProblemType[]).find(
    (type) => PROBLEM_TYPES[type].status === status,
  );
  if (match) return match;
  return status >= 500 ? 'internal-error' : 'bad-request';
}
