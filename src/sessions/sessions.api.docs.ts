import { ApiHeader } from '@nestjs/swagger';
import type { ProblemExample } from '../common/problems/api-problem-responses.decorator.js';

/** The sessions API's documented header and refusals, as examples in the OpenAPI document. */
export const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  description:
    'The ETag of the version you read (e.g. `"3"`); if the session changed since, 412 and nothing changes.',
  schema: { type: 'string', example: '"3"' },
});

const CONFLICTING = {
  id: 12,
  href: '/sessions/12',
  date: '2025-11-17T10:00:00.000Z',
  ends_at: '2025-11-17T10:50:00.000Z',
  therapist: { id: 1, name: 'Dr Chen' },
  patient: { id: 2, name: 'Jordan Lee' },
};
/** The therapist's next free starts for the same length, from the time asked for (up to 3). */
const SUGGESTIONS = [
  { date: '2025-11-17T11:00:00.000Z', ends_at: '2025-11-17T11:50:00.000Z' },
  { date: '2025-11-17T11:15:00.000Z', ends_at: '2025-11-17T12:05:00.000Z' },
  { date: '2025-11-17T11:30:00.000Z', ends_at: '2025-11-17T12:20:00.000Z' },
];

export const OVERLAP: ProblemExample = {
  type: 'session-overlap',
  description: 'The therapist or the patient already has a session then',
  detail: 'Dr Chen already sees Jordan Lee 10:00–10:50 that day.',
  errors: [{ field: 'date', message: 'Dr Chen already sees Jordan Lee 10:00–10:50 that day' }],
  extensions: { conflicting_session: CONFLICTING, suggestions: SUGGESTIONS },
};
export const OUTSIDE_HOURS: ProblemExample = {
  type: 'outside-working-hours',
  description: 'A future session outside the therapist’s working hours',
  detail:
    'Dr. Maya Chen cannot be booked then: it is outside the working hours on Monday: 09:00–17:00 (Europe/London).',
  errors: [
    {
      field: 'date',
      message:
        'Outside working hours: it is outside the working hours on Monday: 09:00–17:00 (Europe/London)',
    },
  ],
  extensions: { suggestions: SUGGESTIONS },
};
export const AWAY: ProblemExample = {
  type: 'therapist-unavailable',
  description: 'A future session in the therapist’s time off',
  detail: 'Dr. Maya Chen is away: Summer holiday (2027-08-01T22:00:00.000Z–2027-08-15T22:00:00.000Z).',
  errors: [{ field: 'date', message: 'Dr. Maya Chen is away: Summer holiday' }],
  extensions: {
    unavailable: {
      kind: 'time_off',
      id: 3,
      label: 'Summer holiday',
      starts_at: '2027-08-01T22:00:00.000Z',
      ends_at: '2027-08-15T22:00:00.000Z',
    },
  },
};
export const CLOSED: ProblemExample = {
  type: 'clinic-closed',
  description: 'A future session on a day the clinic is closed',
  detail: 'The clinic is closed: Christmas Day (2027-12-25T00:00:00.000Z–2027-12-26T00:00:00.000Z).',
  errors: [{ field: 'date', message: 'The clinic is closed: Christmas Day' }],
  extensions: {
    unavailable: {
      kind: 'closure',
      id: 2,
      label: 'Christmas Day',
      starts_at: '2027-12-25T00:00:00.000Z',
      ends_at: '2027-12-26T00:00:00.000Z',
    },
  },
};
export const BUFFER: ProblemExample = {
  type: 'within-buffer',
  description: 'A future session inside the therapist’s buffer around another one',
  detail: 'Dr Chen keeps 10 minutes free between sessions and sees Jordan Lee 10:00–10:50 that day.',
  errors: [
    {
      field: 'date',
      message: 'Dr Chen keeps 10 minutes free between sessions and sees Jordan Lee 10:00–10:50 that day',
    },
  ],
  extensions: { conflicting_session: CONFLICTING, suggestions: SUGGESTIONS },
};
export const TRANSITION: ProblemExample = {
  type: 'status-transition-not-allowed',
  description: 'The status change is not allowed from the current status (or not yet)',
  detail: 'A Completed session cannot become No-Show now; allowed: Scheduled.',
  errors: [{ field: 'status', message: 'No-Show is not allowed from Completed now' }],
  extensions: { current_status: 'Completed', allowed_statuses: ['Scheduled'] },
};
export const STALE: ProblemExample = {
  type: 'precondition-failed',
  description: 'If-Match names an older version',
  detail: 'Session 17 was changed by someone else: you sent If-Match for version 2, it is now at version 3.',
  extensions: { current_version: 3 },
};
export const KEY_REUSED: ProblemExample = {
  type: 'idempotency-key-reused',
  description: 'The Idempotency-Key was used with another body',
  detail:
    'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
};

/** A therapist acts on their own sessions only (the role's limits: src/access/roles.ts). */
export const BOOKS_FOR_OTHERS: ProblemExample = {
  type: 'forbidden',
  description: 'A therapist booking with another therapist',
  detail: 'A therapist books sessions with themself only.',
  errors: [{ field: 'therapist_id', message: 'therapist_id must be your own (3)' }],
};

export const MOVES: ProblemExample = {
  type: 'forbidden',
  description: 'A therapist moving a session (`date`, `duration_minutes`): only the front desk reschedules',
  detail: 'Only the front desk moves sessions: ask reception to reschedule it.',
};
