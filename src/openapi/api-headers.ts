import { ApiHeader } from '@nestjs/swagger';

type HeadersObject = Record<string, { description: string; schema: { type: 'string'; example: string } }>;

/** Response headers, described once and attached to the responses that carry them. */
export const ETAG_HEADER: HeadersObject = {
  ETag: {
    description: 'The session’s version, for If-Match: `"3"`.',
    schema: { type: 'string', example: '"3"' },
  },
};

export const LOCATION_HEADER: HeadersObject = {
  Location: { description: 'The new resource.', schema: { type: 'string', example: '/api/sessions/17' } },
};

export const REPLAYED_HEADER: HeadersObject = {
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', example: 'true' },
  },
};

export const RETRY_AFTER_HEADER: HeadersObject = {
  'Retry-After': {
    description: 'Seconds to wait before retrying: `5` while the database is unavailable.',
    schema: { type: 'string', example: '5' },
  },
};

/** Sent with every answer to a request made with an API token (draft IETF RateLimit header fields). */
export const RATE_LIMIT_HEADERS: HeadersObject = {
  'RateLimit-Limit': {
    description: 'Requests the token may make per minute.',
    schema: { type: 'string', example: '600' },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current minute.',
    schema: { type: 'string', example: '0' },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the current minute’s count ends.',
    schema: { type: 'string', example: '17' },
  },
};

export const IDEMPOTENCY_KEY = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes a retry safe: the same key and body within 24 h returns the first response without creating ' +
    'anything again (`Idempotent-Replayed: true`); the same key with another body is refused with 422, and a ' +
    'retry while the first request still runs with 409.',
  schema: { type: 'string', maxLength: 255, example: '8f14e45f-ceea-467f-a0e6-9c2a1b5d7e3b' },
});
