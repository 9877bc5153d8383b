import fc from 'fast-check';
import type { Response } from 'supertest';

/**
 * What the property-based fuzz suites (test/e2e/fuzz.*.e2e.ts) share: printing requests and responses, checking
 * that a 4xx is an RFC 9457 problem, and the generic building blocks of their generators.
 */

export const clip = (text: string, max = 400): string =>
  text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}… (${text.length} chars)`;

/** The body as text; superagent leaves `text` unset on some bodiless answers (a 204), whatever its types say. */
export const textOf = (response: Response): string => {
  const text: unknown = Reflect.get(response, 'text');
  return typeof text === 'string' ? text : '';
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** What is wrong with a 4xx response as an RFC 9457 problem (the checks of test/utils/http.ts `problemOf`). */
export function problemDefects(response: Response): string[] {
  const defects: string[] = [];
  const contentType = response.get('Content-Type') ?? '';
  if (!contentType.startsWith('application/problem+json')) {
    defects.push(`content-type is ${JSON.stringify(contentType)}, not application/problem+json`);
  }
  const parsed = parseJson(textOf(response));
  if (!parsed.ok || !isRecord(parsed.value)) return [...defects, 'the body is not a JSON object'];
  const problem = parsed.value;
  for (const member of ['type', 'title', 'detail'] as const) {
    if (typeof problem[member] !== 'string') defects.push(`"${member}" is not a string`);
  }
  if (problem.status !== response.status) {
    defects.push(`"status" is ${JSON.stringify(problem.status)}, not the HTTP status ${response.status}`);
  }
  if (problem.instance !== undefined && typeof problem.instance !== 'string') {
    defects.push('"instance" is present but not a string');
  }
  const { errors } = problem;
  if (!Array.isArray(errors)) {
    defects.push('"errors" is not an array');
  } else {
    errors.forEach((error: unknown, index) => {
      if (!isRecord(error) || typeof error.field !== 'string' || typeof error.message !== 'string') {
        defects.push(`errors[${index}] is not {field: string, message: string}: ${JSON.stringify(error)}`);
      }
    });
  }
  return defects;
}

export const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `arbitrary` in `percent` % of the cases, `null` in the others. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: percent, arbitrary }, { weight: 100 - percent, arbitrary: fc.constant(null) });

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates become U+FFFD, like any UTF-8 encoder does). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const character = String.fromCharCode(byte);
    encoded += /^[A-Za-z0-9\-._~]$/.test(character)
      ? character
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** A number literal JSON.stringify cannot produce (`1e400`, 30 digits, `-0`, `01`), spliced in by `toJsonText`. */
const RAW_MARK = '\u0001raw:';
export const rawLiteral = (literal: string): string => `${RAW_MARK}${literal}\u0001`;
export const toJsonText = (value: unknown): string =>
  JSON.stringify(value).replace(/"\\u0001raw:([^"\\]*)\\u0001"/g, '$1');

export const repeated = (units: readonly string[], lengths: readonly number[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...units), fc.constantFrom(...lengths))
    .map(([unit, length]) => unit.repeat(length));

export const truncated = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  text
    .filter((json) => json.length > 1)
    .chain((json) => fc.integer({ min: 1, max: json.length - 1 }).map((end) => json.slice(0, end)));

export const OTHER_CONTENT_TYPES = [
  'text/plain',
  'text/json',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  '*/*',
  'garbage',
  '/',
  'application/json;;;',
];

export const MALFORMED_PERCENT = [
  '%',
  '%Z',
  '%zz',
  '%E0%A4',
  '%C3',
  '%%',
  '%u00e9',
  '%ED%A0%80',
  '%00',
  '%FF',
  '%2',
];

export type Encoding = 'percent' | 'plus' | 'raw' | 'malformed';

/**
 * How many requests each endpoint gets when every property draws its `numRuns` requests with `seed`: the spread
 * the generators give, computed without sending anything, so a coverage test needs no other test to run first.
 */
export function endpointSpread(
  properties: readonly { requests: fc.Arbitrary<{ endpoint: string; twice?: boolean }>; numRuns: number }[],
  seed: number,
): Map<string, number> {
  const spread = new Map<string, number>();
  for (const { requests, numRuns } of properties) {
    for (const request of fc.sample(requests, { numRuns, seed })) {
      // A request sent twice (an idempotent retry) reaches its endpoint twice.
      spread.set(request.endpoint, (spread.get(request.endpoint) ?? 0) + (request.twice ? 2 : 1));
    }
  }
  return spread;
}

export const sumOf = (counts: Map<string, number>): number =>
  [...counts.values()].reduce((sum, count) => sum + count, 0);
