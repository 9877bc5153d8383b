import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import {
  clip,
  endpointSpread,
  isRecord,
  MALFORMED_PERCENT,
  OTHER_CONTENT_TYPES,
  pad,
  parseJson,
  percentEncode,
  problemDefects,
  rawLiteral,
  repeated,
  sometimes,
  sumOf,
  textOf,
  toJsonText,
  truncated,
  type Encoding,
} from '../utils/fuzz.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Property-based fuzzing of what fuzz.api.e2e.ts leaves out: the scheduling endpoints of the API (series, cancel,
 * history, working hours, availability, If-Match and Idempotency-Key) and every staff page. Whatever is sent, the
 * API answers a 2xx JSON document (or an empty 204) or a 4xx RFC 9457 problem; the pages answer HTML (a page, or
 * a fragment for htmx), redirect only to a path of the same site, and never fail with a 5xx. The seed is fixed so
 * that a failure reproduces; `FUZZ_SEED=<n>` tries another one.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_310_101);
const PROPERTY_TIMEOUT = 60_000;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface FuzzRequest {
  /** `api` requests must answer JSON or problem+json, `page` requests HTML. */
  kind: 'api' | 'page';
  /** The route template, for the per-endpoint counts. */
  endpoint: string;
  method: Method;
  /** Path and query string, exactly as handed to supertest. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Whether the request's `Accept` lets the server answer HTML (pages answer problem+json otherwise). */
  acceptsHtml: boolean;
  /** Sent twice in a row with the same Idempotency-Key: a 2xx must be replayed as it was. */
  twice: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Ids the fuzzer aims at: the seeded ones, and those the fuzzed requests create along the way
// ---------------------------------------------------------------------------------------------------------------

interface Pool {
  therapists: number[];
  patients: number[];
  sessions: number[];
  /** Working-hours intervals with their therapist. */
  intervals: { therapist: number; id: number }[];
}

const pool: Pool = { therapists: [], patients: [], sessions: [], intervals: [] };
const POOL_LIMIT = 400;

function remember<T>(list: T[], value: T): void {
  if (list.includes(value)) return;
  list.push(value);
  if (list.length > POOL_LIMIT) list.splice(0, list.length - POOL_LIMIT);
}

/**
 * One of the known ids, read when the value is generated (the pool grows while the properties run). Generation
 * and requests alternate, so a fixed seed still replays the same run.
 */
const fromPool = (kind: 'therapists' | 'patients' | 'sessions'): fc.Arbitrary<number> =>
  fc.nat({ max: 1_000_000 }).map((index) => pool[kind][index % pool[kind].length] ?? 1);

const anInterval: fc.Arbitrary<{ therapist: number; id: number }> = fc
  .nat({ max: 1_000_000 })
  .map((index) => pool.intervals[index % pool.intervals.length] ?? { therapist: 1, id: 1 });

// ---------------------------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------------------------

function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(' | ');
  return [
    `${request.method} ${clip(request.url, 600)}${request.twice ? ' (sent twice)' : ''}`,
    `  headers: ${headers || '(none)'}`,
    `  body: ${request.body === undefined ? '(none)' : clip(request.body)}`,
  ].join('\n');
}

/** Makes fast-check print counterexamples readably (bodies can be 100 kB) instead of as raw objects. */
const withSummary = (request: FuzzRequest): FuzzRequest =>
  Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request) });

function describeExchange(request: FuzzRequest, response: Response): string {
  const interesting = ['Location', 'HX-Redirect', 'Idempotent-Replayed']
    .map((name) => [name, response.get(name)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}: ${JSON.stringify(value)}`)
    .join('');
  return [
    describeRequest(request),
    `  → ${response.status} ${response.get('Content-Type') ?? '(no content-type)'}${interesting}`,
    `  response: ${clip(textOf(response), 800)}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The properties every response must have
// ---------------------------------------------------------------------------------------------------------------

const unexpected = (status: number): string[] => [
  status >= 500 ? `server error ${status}` : `unexpected status ${status}`,
];

function apiDefects(response: Response): string[] {
  const { status } = response;
  if (status === 204) return textOf(response) === '' ? [] : ['204 with a body'];
  if (status >= 200 && status < 300) {
    const contentType = response.get('Content-Type') ?? '';
    const defects: string[] = [];
    if (!/^application\/json(;|$)/.test(contentType)) defects.push(`2xx with content-type ${contentType}`);
    if (!parseJson(textOf(response)).ok) defects.push('2xx whose body is not JSON');
    return defects;
  }
  if (status >= 400 && status < 500) return problemDefects(response);
  return unexpected(status);
}

/** A path of this site: `/x`, never `//host/x` or `/\host` (which browsers read as another host) or `http:…`. */
const isSameSitePath = (location: string): boolean => /^\/(?![/\\])/.test(location);

function htmlDefects(response: Response, what: string): string[] {
  const contentType = response.get('Content-Type') ?? '';
  if (!/^text\/html(;|$)/.test(contentType))
    return [`${what} with content-type ${JSON.stringify(contentType)}`];
  return textOf(response).includes('<') ? [] : [`${what} whose HTML is empty`];
}

function pageDefects(request: FuzzRequest, response: Response): string[] {
  const { status } = response;
  if (status >= 200 && status < 300) {
    // htmx follows a successful form post by `HX-Redirect` on an empty 200, not by a 3xx it would swap in.
    const hxRedirect = response.get('HX-Redirect');
    if (hxRedirect !== undefined) {
      return isSameSitePath(hxRedirect)
        ? []
        : [`HX-Redirect to ${JSON.stringify(hxRedirect)}, off this site`];
    }
    return htmlDefects(response, `${status}`);
  }
  if (status >= 300 && status < 400) {
    const location = response.get('Location');
    if (location === undefined) return [`${status} without a Location`];
    return isSameSitePath(location) ? [] : [`${status} to ${JSON.stringify(location)}, off this site`];
  }
  if (status >= 400 && status < 500) {
    if (request.acceptsHtml) return htmlDefects(response, `${status}`);
    // Without HTML in Accept, the error handler answers problem+json; a page that renders its own 4xx (a form
    // shown again with its errors) does not negotiate and stays HTML. Either is fine, in its right shape.
    const contentType = response.get('Content-Type') ?? '';
    return /^text\/html(;|$)/.test(contentType)
      ? htmlDefects(response, `${status}`)
      : problemDefects(response);
  }
  return unexpected(status);
}

function check(request: FuzzRequest, response: Response, defects: string[]): void {
  if (defects.length > 0) {
    throw new Error(`${defects.join('; ')}\n${describeExchange(request, response)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks: strings, numbers and JSON values of every kind
// ---------------------------------------------------------------------------------------------------------------

/**
 * A header value as it goes on the wire: the UTF-8 bytes of `text` (so unicode arrives as raw bytes), minus the
 * control characters Node refuses to send in a header.
 */
const headerSafe = (text: string): string =>
  Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

/** Text around the length limits (200 for names, 500 for reasons, 2000 for notes). */
const boundaryText = repeated(
  ['x', 'É', ' ', '😀', 'e\u0301', '\u0000', '\u200B', '\uD800', '<'],
  [1, 199, 200, 201, 499, 500, 501, 1999, 2000, 2001, 2500],
);

const INTERESTING_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\u00a0',
  '\ufeff',
  '\u202e',
  '\ud800',
  'null',
  'undefined',
  'true',
  '0',
  '1',
  '-1',
  '1.5',
  '1e3',
  '07',
  '+1',
  '0x10',
  'NaN',
  'Infinity',
  '١٢',
  '１２',
  'Scheduled',
  'Cancelled',
  'weekly',
  'following',
  '24:00',
  '25:99',
  '2031-03-03',
  '2031-03-03T10:00:00Z',
  '2031-03-03T10:00',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  'Europe/Berlin',
  "'; drop table therapy_session; --",
  '<script>alert(1)</script>',
  '{{title}}',
  '../../etc/passwd',
  '%',
  '%00',
  '\\',
  '//evil.example',
];

const interestingString = fc.constantFrom(...INTERESTING_STRINGS);

/** Strings short enough for a URL. */
const shortString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 3, arbitrary: interestingString },
);

const anyString = fc.oneof(
  { weight: 6, arbitrary: shortString },
  { weight: 1, arbitrary: boundaryText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 100, maxLength: 2000 }) },
);

const anyNumber = fc.oneof(
  fc.integer({ min: -100, max: 100 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.5, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e21, 1e308, -1e308, Number.MIN_VALUE),
  fc
    .constantFrom(
      '1e400',
      '-1e400',
      '123456789012345678901234567890',
      '0.0000000000000000000000001',
      '-0',
      '1.0',
      '3.0',
      '01',
      '2147483648',
    )
    .map(rawLiteral),
);

const anyScalar = fc.oneof(anyString, anyNumber, fc.boolean(), fc.constant(null));

/** A JSON value of every type, nested a little. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyScalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(anyScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), anyScalar, { maxKeys: 4 }) },
);

// ---------------------------------------------------------------------------------------------------------------
// Dates, times and ids
// ---------------------------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const YEAR_2031 = Date.UTC(2031, 0, 1);

/** A start in 2031 on the 15-minute grid: mostly bookable (no working hours on most therapists). */
const futureInstantText = fc
  .tuple(
    fc.integer({ min: 0, max: 364 }),
    fc.integer({ min: 0, max: 95 }),
    fc.constantFrom('Z', 'Z', 'Z', '+02:00', '-05:00', '+05:45'),
  )
  .map(
    ([day, slot, offset]) =>
      `${new Date(YEAR_2031 + day * DAY + slot * 900_000).toISOString().slice(0, 19)}${offset}`,
  );

const ODD_INSTANTS = [
  '2031-03-03T10:00:00',
  '2031-03-03 10:00:00Z',
  '2031-03-03T25:00:00Z',
  '2031-02-29T10:00:00Z',
  '2031-03-03T10:00:00.123456789Z',
  '2031-03-03T10:00:00+24:00',
  '2031-03-03T10:00:00[Europe/Berlin]',
  '2031-03-09T02:30:00-05:00',
  '1970-01-01T00:00:00Z',
  '1900-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '2031-03-03',
  '2031',
  'now',
  'tomorrow',
];

const instantText = fc.oneof(
  { weight: 6, arbitrary: futureInstantText },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_INSTANTS) },
  {
    weight: 1,
    arbitrary: fc
      .date({
        min: new Date('1850-01-01T00:00:00Z'),
        max: new Date('+010100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
  },
);

const localDateText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .integer({ min: 0, max: 400 })
      .map((day) => new Date(YEAR_2031 + day * DAY).toISOString().slice(0, 10)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 10_050 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(([year, month, day]) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0001-01-01',
      '1900-01-01',
      '9999-12-31',
      '2031-02-29',
      '2032-02-29',
      '2031-1-5',
      '20310303',
      '+275760-09-13',
      '-000001-01-01',
      '2031-W10',
      '2031-062',
    ),
  },
);

/** `YYYY-MM-DDTHH:mm` as an `<input type="datetime-local">` sends it, in the clinic's time zone. */
const localDateTimeText = fc.oneof(
  { weight: 5, arbitrary: futureInstantText.map((instant) => instant.slice(0, 16)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2031-02-30T10:00',
      '2031-03-03T24:00',
      '2031-03-03T10:60',
      '2031-03-03 10:00',
      '2031-03-03T10:00:00',
      '2031-03-03T10:00Z',
      '10000-01-01T00:00',
      '0000-01-01T00:00',
      '2031-03-03',
      'T10:00',
    ),
  },
);

const clockText = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 15, 30, 45))
      .map(([hour, minute]) => `${pad(hour)}:${pad(hour === 24 ? 0 : minute)}`),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '24:00',
      '00:00',
      '25:99',
      '24:01',
      '23:60',
      '9:00',
      '09:00:00',
      '0900',
      '09.00',
      ' 09:00',
      '09:00 ',
      '٠٩:٠٠',
      '０９:００',
      '09:00\u0000',
      '\u0000',
      '',
      '09:00Z',
      '-01:00',
      '12:5',
      '99:99',
      'T09:00',
      '9am',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: -5, max: 150 }), fc.integer({ min: -5, max: 150 }))
      .map(([hour, minute]) => `${pad(hour)}:${pad(minute)}`),
  },
);

const integerText = fc.oneof(
  fc.integer({ min: -5, max: 130 }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '+1',
    '01',
    ' 5 ',
    '1.0',
    '1.5',
    '1e2',
    '0x10',
    'NaN',
    'Infinity',
    '2147483647',
    '2147483648',
    '9999999999',
    '99999999999999999999999',
    '',
    'abc',
    '1,2',
    '١',
    '５',
  ),
);

const JUNK_IDS = [
  '0',
  '-1',
  '00',
  '01',
  '1.0',
  '1e3',
  '+1',
  '%201',
  '2147483647',
  '2147483648',
  '9999999999',
  '99999999999999999999',
  '1'.repeat(300),
  'NaN',
  'null',
  'abc',
  'new',
  'edit',
  '0x1F',
  '..',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '1%00',
  '%2F',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '%D9%A1',
  '',
];

const pathId = (kind: 'therapists' | 'patients' | 'sessions'): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fromPool(kind).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(...JUNK_IDS) },
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map(percentEncode) },
  );

/** A working-hours interval's path: its own therapist's, another therapist's, or junk. */
const intervalPath = fc.oneof(
  { weight: 5, arbitrary: anInterval.map(({ therapist, id }) => [String(therapist), String(id)] as const) },
  {
    weight: 2,
    arbitrary: fc.tuple(
      pathId('therapists'),
      anInterval.map(({ id }) => String(id)),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      pathId('therapists'),
      fc.oneof(fc.constantFrom(...JUNK_IDS), fc.integer({ min: -5, max: 2 ** 31 }).map(String)),
    ),
  },
);

// ---------------------------------------------------------------------------------------------------------------
// JSON bodies of the API
// ---------------------------------------------------------------------------------------------------------------

const validInterval = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 }))
  .map(([weekday, start, length]) => {
    const end = Math.min(96, start + length);
    const time = (slot: number): string => `${pad(Math.floor(slot / 4))}:${pad((slot % 4) * 15)}`;
    return { weekday, start: time(start), end: time(end === start ? start + 1 : end) };
  });

const weekdayValue = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 7 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      0,
      8,
      -1,
      1.5,
      '3',
      ' 3 ',
      '٣',
      '3.0',
      true,
      null,
      2 ** 31,
      1e308,
      rawLiteral('1e400'),
      rawLiteral('3.0'),
      rawLiteral('123456789012345678901234567890'),
      [3],
      { weekday: 3 },
    ),
  },
  { weight: 1, arbitrary: anyValue },
);

const clockValue = fc.oneof(
  { weight: 6, arbitrary: clockText },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(900, 9, 9.5, null, true, ['09:00'], { h: 9 }) },
  { weight: 1, arbitrary: anyValue },
);

const junkInterval: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    { weekday: weekdayValue, start: clockValue, end: clockValue, id: anyValue, therapist_id: anyValue },
    { requiredKeys: [] },
  ),
  anyValue,
);

/** 70 intervals that do not overlap (the most a schedule may have), and more. */
const manyIntervals = fc.constantFrom(0, 1, 69, 70, 71, 200).map((count) =>
  Array.from({ length: count }, (_, index) => ({
    weekday: (index % 7) + 1,
    start: `${pad((Math.floor(index / 7) % 12) * 2)}:00`,
    end: `${pad((Math.floor(index / 7) % 12) * 2 + 1)}:00`,
  })),
);

const intervalsValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(validInterval, { maxLength: 6 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(validInterval, junkInterval), { maxLength: 6 }) },
  { weight: 1, arbitrary: manyIntervals },
  {
    weight: 1,
    arbitrary: fc.array(fc.array(validInterval, { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  },
  { weight: 1, arbitrary: validInterval.map((interval) => [[[interval]]]) },
  { weight: 1, arbitrary: validInterval },
  { weight: 1, arbitrary: anyValue },
);

/** A value each field accepts (or nearly: overlaps and lifecycle rules still refuse some). */
function validJson(field: string): fc.Arbitrary<unknown> {
  switch (field) {
    case 'therapist_id':
      return fromPool('therapists');
    case 'patient_id':
      return fromPool('patients');
    case 'date':
      return futureInstantText;
    case 'duration_minutes':
      return fc.constantFrom(15, 30, 45, 50, 60, 90, 240);
    case 'notes':
      return fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant(null));
    case 'reason':
      return fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
        .filter((text) => text.trim() !== '');
    case 'frequency':
      return fc.constantFrom('weekly', 'fortnightly');
    case 'occurrences':
      return fc.integer({ min: 2, max: 8 });
    case 'scope':
      return fc.constantFrom('this', 'following');
    case 'status':
      return fc.constantFrom('Scheduled', 'Completed', 'Cancelled', 'Late-Cancelled', 'No-Show');
    case 'intervals':
      return fc.array(validInterval, { maxLength: 6 });
    case 'weekday':
      return fc.integer({ min: 1, max: 7 });
    case 'start':
    case 'end':
      return validInterval.map((interval) => interval[field]);
    default:
      return anyValue;
  }
}

/** Values just outside what each field accepts, and values of every other type. */
function junkJson(field: string): fc.Arbitrary<unknown> {
  const near = ((): fc.Arbitrary<unknown> => {
    switch (field) {
      case 'therapist_id':
      case 'patient_id':
        return fc.constantFrom<unknown>(0, -1, 999_999, 2 ** 31 - 1, 2 ** 31, 1.5, '1', ' 2 ', '1.0', [1]);
      case 'date':
        return instantText;
      case 'duration_minutes':
        return fc.oneof(
          fc.integer({ min: -10, max: 300 }),
          fc.constantFrom<unknown>(14, 241, '50', ' 60 ', '1e2', 50.5, -0, rawLiteral('50.0')),
        );
      case 'notes':
      case 'reason':
        return fc.oneof(anyString, fc.constantFrom<unknown>('', ' ', '\u0000', 42, ['x']));
      case 'frequency':
        return fc.constantFrom<unknown>('Weekly', 'daily', 'monthly', '', 'weekly ', 7, ['weekly']);
      case 'occurrences':
        return fc.constantFrom<unknown>(
          0,
          1,
          52,
          53,
          -1,
          1000,
          1.5,
          '10',
          ' 5 ',
          '1e1',
          2 ** 31,
          1e308,
          rawLiteral('1e400'),
          rawLiteral('2.0'),
          true,
        );
      case 'scope':
        return fc.constantFrom<unknown>('This', 'all', '', 'following ', 1, ['this']);
      case 'status':
        return fc.constantFrom<unknown>('scheduled', '', 'Deleted', 'Completed ', 1);
      case 'intervals':
        return intervalsValue;
      case 'weekday':
        return weekdayValue;
      case 'start':
      case 'end':
        return clockValue;
      default:
        return anyValue;
    }
  })();
  return fc.oneof(
    { weight: 3, arbitrary: near },
    { weight: 1, arbitrary: anyValue },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** Mostly valid, so that whole bodies often get past validation into the services and the database. */
const jsonValue = (field: string): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 10, arbitrary: validJson(field) }, { weight: 1, arbitrary: junkJson(field) });

const JUNK_KEYS = [
  '',
  ' ',
  'id',
  'version',
  'series_id',
  'status',
  'created_at',
  'ends_at',
  'therapist',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '$where',
  'intervals[0]',
  'a'.repeat(300),
];

const bodyKey = (fields: readonly string[]): fc.Arbitrary<string> => {
  const junk = [
    { weight: 1, arbitrary: fc.constantFrom(...JUNK_KEYS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  ];
  return fields.length
    ? fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...fields) }, ...junk)
    : fc.oneof(...junk);
};

/** Real and junk keys, each with either a near-valid or an arbitrary value (of any JSON type). */
const randomObject = (fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .array(
      bodyKey(fields).chain((key) =>
        fc.oneof(jsonValue(key), junkJson(key)).map((value): [string, unknown] => [key, value]),
      ),
      { maxLength: 8 },
    )
    .map((entries) => Object.fromEntries(entries));

/** The real fields, each probably valid, the optional ones sometimes left out, plus at times a junk key. */
const plausibleObject = (
  fields: readonly string[],
  required: readonly string[],
): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((field) => [field, jsonValue(field)])), {
        requiredKeys: [...required],
      }),
      sometimes(fc.tuple(fc.constantFrom(...JUNK_KEYS), anyValue), 10),
    )
    .map(([object, junk]) => (junk ? { ...object, [junk[0]]: junk[1] } : object));

const ODD_JSON_TEXTS = [
  '{',
  '[',
  '{"reason":',
  '{"reason":"x",}',
  "{'reason':'x'}",
  '{"a":1}{"b":2}',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '{}',
  '\ufeff{}',
  '{"\\uZZZZ":1}',
  '{"reason":"\\ud800"}',
  '{"reason":"\\u0000"}',
  '{"intervals":[{"weekday":1,"start":"09:00","end":"17:00"},]}',
  '{"intervals":[[[[[[[[[[]]]]]]]]]]}',
  '{"a":1e99999}',
  '{"a":01}',
  '{"__proto__":{"reason":"x"}}',
  '{"constructor":{"prototype":{"scope":"following"}}}',
  '{"reason":"x","reason":"y"}',
  'reason=x&scope=this',
  '<xml/>',
  '',
];

const malformedText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_JSON_TEXTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
);

const deepText = (field: string): fc.Arbitrary<string> =>
  fc
    .constantFrom(100, 5_000, 40_000)
    .map((depth) => `{${JSON.stringify(field)}:${'['.repeat(depth)}1${']'.repeat(depth)}}`);

/** Larger and smaller than the 100 kB (102 400 bytes) limit. */
const hugeText = (field: string): fc.Arbitrary<string> =>
  fc.constantFrom(90_000, 102_500, 200_000).map((size) => `{${JSON.stringify(field)}:"${'x'.repeat(size)}"}`);

/** A JSON request body: mostly objects of real and junk fields, sometimes anything else. */
function jsonBody(fields: readonly string[], required: readonly string[]): fc.Arbitrary<string> {
  const someField = fields[0] ?? 'x';
  return fc.oneof(
    { weight: 20, arbitrary: plausibleObject(fields, required).map(toJsonText) },
    { weight: 8, arbitrary: randomObject(fields).map(toJsonText) },
    {
      weight: 1,
      arbitrary: fc.array(fc.oneof(randomObject(fields), anyValue), { maxLength: 3 }).map(toJsonText),
    },
    { weight: 1, arbitrary: anyScalar.map(toJsonText) },
    { weight: 1, arbitrary: truncated(plausibleObject(fields, required).map(toJsonText)) },
    { weight: 2, arbitrary: malformedText },
    { weight: 1, arbitrary: deepText(someField) },
    { weight: 1, arbitrary: hugeText(someField) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------------------------

const JSON_CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json;charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=bogus',
  'application/merge-patch+json',
  'application/problem+json',
];

/** Mostly `application/json`; some variants of it, some other types, some requests without any. */
const jsonContentType: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ 'Content-Type': 'application/json' }) },
  { weight: 2, arbitrary: fc.constantFrom(...JSON_CONTENT_TYPES).map((type) => ({ 'Content-Type': type })) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_CONTENT_TYPES).map((type) => ({ 'Content-Type': type })) },
  { weight: 1, arbitrary: fc.constant({}) },
);

/** `If-Match` values: the versions the sessions are likely at, weak tags, lists, `*` and junk. */
const ifMatchValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }).map((version) => `"${version}"`) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '*',
      ' * ',
      'W/"1"',
      'W/"2"',
      'w/"1"',
      '"1", "2"',
      '"1",W/"2"',
      '"2" , "3"',
      'W/"1", W/"2"',
      '"1","2","3","4","5","6"',
      '""',
      '"abc"',
      '"-1"',
      '"1.0"',
      '"01"',
      '"0"',
      '"9999999999"',
      '"99999999999"',
      '"2147483648"',
      '"4294967296"',
      '1',
      'W/1',
      '"1',
      '1"',
      ',',
      '"1",',
      ', "1"',
      '**',
      '*, "1"',
      'W/"',
      '"é"',
      '"１"',
      '"1" "2"',
      'null',
      '',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 5 })
      .map((tags) => tags.map(([weak, version]) => `${weak ? 'W/' : ''}"${version}"`).join(', ')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** A few keys come back again and again, so that keys are reused with other bodies (and other paths). */
const REUSED_KEYS = ['fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'];

const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...REUSED_KEYS) },
  { weight: 3, arbitrary: fc.uuid() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'k'.repeat(255),
      'k'.repeat(256),
      'k'.repeat(300),
      'clé',
      '🔑-key',
      'key with space',
      'k\u00ff',
      '"quoted"',
      '\\',
      '*',
      'null',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }) },
);

const ACCEPTS: readonly { value: string | null; html: boolean }[] = [
  { value: null, html: true },
  { value: 'text/html', html: true },
  { value: '*/*', html: true },
  { value: 'text/*', html: true },
  { value: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', html: true },
  { value: 'application/json, text/html;q=0.1', html: true },
  { value: 'application/json', html: false },
  { value: 'application/problem+json', html: false },
  { value: 'text/plain', html: false },
  { value: 'image/png', html: false },
  { value: 'text/html;q=0', html: false },
];

const acceptHeader = fc.oneof(
  { weight: 6, arbitrary: fc.constant(ACCEPTS[0] ?? { value: null, html: true }) },
  { weight: 4, arbitrary: fc.constantFrom(...ACCEPTS) },
);

// ---------------------------------------------------------------------------------------------------------------
// Query strings and urlencoded forms
// ---------------------------------------------------------------------------------------------------------------

function encodeComponent(text: string, encoding: Encoding, garbage: string): string {
  switch (encoding) {
    case 'percent':
      return percentEncode(text);
    case 'plus':
      return percentEncode(text).replace(/%20/g, '+');
    case 'raw':
      // Left as is (the URL parser encodes what it must); only `#` would cut a query string short.
      return text.replace(/#/g, '%23');
    case 'malformed':
      return `${percentEncode(text)}${garbage}`;
  }
}

const JUNK_PARAMS = [
  '',
  'PAGE',
  'page[]',
  'q[a][b]',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'id',
  'layout',
  'title',
  '_method',
  'a'.repeat(200),
];

/** `key=value` pairs of real (often repeated) and junk names, with values in several encodings. */
function pairs(
  fields: readonly string[],
  valueOf: (field: string) => fc.Arbitrary<string>,
  maxLength: number,
): fc.Arbitrary<string[]> {
  const key = fields.length
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...fields) },
        { weight: 1, arbitrary: fc.constantFrom(...JUNK_PARAMS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
      )
    : fc.oneof(fc.constantFrom(...JUNK_PARAMS), fc.string({ maxLength: 10 }));
  const pair = key.chain((name) =>
    fc
      .record({
        value: valueOf(name),
        bare: fc.oneof(
          { weight: 1, arbitrary: fc.constant(true) },
          { weight: 12, arbitrary: fc.constant(false) },
        ),
        encoding: fc.constantFrom<Encoding>(
          'percent',
          'percent',
          'percent',
          'percent',
          'plus',
          'raw',
          'malformed',
        ),
        garbage: fc.constantFrom(...MALFORMED_PERCENT),
      })
      .map(({ value, bare, encoding, garbage }) => {
        const encodedKey = encodeComponent(name, encoding === 'malformed' ? 'percent' : encoding, garbage);
        return bare ? encodedKey : `${encodedKey}=${encodeComponent(value, encoding, garbage)}`;
      }),
  );
  return fc.array(pair, { maxLength });
}

/** A query string (or none), short enough for Node to read the request line. */
const queryString = (
  fields: readonly string[],
  valueOf: (field: string) => fc.Arbitrary<string>,
): fc.Arbitrary<string> =>
  fc
    .tuple(
      pairs(fields, valueOf, 6),
      fc.constantFrom('&', '&', '&', '&&', ';'),
      fc.constantFrom('?', '?', '?', '?&', '??'),
    )
    .map(([parts, separator, prefix]) =>
      parts.length === 0 ? (prefix === '?' ? '' : prefix) : `${prefix}${parts.join(separator)}`,
    )
    .filter((query) => query.length <= 6_000);

/** An urlencoded form as a browser (or something else) posts it: real fields, junk values, repeated fields. */
const formText = (fields: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc
        .oneof(
          { weight: 4, arbitrary: fc.constant([...fields]) },
          { weight: 1, arbitrary: fc.shuffledSubarray([...fields]) },
        )
        .chain((present) =>
          fc.tuple(
            ...present.map((field) => formValue(field).map((value) => `${field}=${percentEncode(value)}`)),
          ),
        ),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: pairs(fields, junkText, 5) },
      ),
      fc.constantFrom('&', '&', '&', '&', '&', '&&', ';'),
    )
    .map(([complete, extra, separator]) => [...complete, ...extra].join(separator));

const TIME_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Etc/GMT+12',
  'EST5EDT',
  'europe/berlin',
  'Mars/Olympus',
  'Europe/Berlin ',
  '+02:00',
  'Z',
  '',
];

const RETURN_PATHS = [
  '/sessions',
  '/sessions?page=2&status=Scheduled',
  '/therapists/1',
  '/calendar?week=2031-03-03',
  '//evil.example/x',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  ' /sessions',
  '/sessions\r\nSet-Cookie: x=1',
  '/ü?ö=ä',
  '/😀',
  '/\u0000',
  '/' + 'x'.repeat(3000),
  '',
];

/** A form or query value the field accepts (or nearly: overlaps and lifecycle rules still refuse some). */
function validText(field: string): fc.Arbitrary<string> {
  const number = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map(String);
  switch (field) {
    case 'therapist_id':
      return fromPool('therapists').map(String);
    case 'patient_id':
      return fromPool('patients').map(String);
    case 'series_id':
    case 'version':
    case 'page':
      return number(1, 5);
    case 'page_size':
      return number(1, 100);
    case 'duration_minutes':
      return fc.constantFrom('15', '30', '50', '60', '90', '240');
    case 'buffer_minutes':
      return number(0, 120);
    case 'occurrences':
      return number(2, 8);
    case 'weekday':
      return number(1, 7);
    case 'date':
      return localDateTimeText;
    case 'week':
    case 'from':
    case 'to':
      return fc
        .integer({ min: -400, max: 800 })
        .map((day) => new Date(YEAR_2031 + day * DAY).toISOString().slice(0, 10));
    case 'date_of_birth':
      return fc
        .integer({ min: 0, max: 30_000 })
        .map((day) => new Date(Date.UTC(1930, 0, 1) + day * DAY).toISOString().slice(0, 10));
    case 'status':
      return fc.constantFrom('Scheduled', 'Completed', 'Cancelled', 'Late-Cancelled', 'No-Show');
    case 'scope':
      return fc.constantFrom('this', 'following');
    case 'repeat':
      return fc.constantFrom('', '', '', 'weekly', 'fortnightly');
    case 'return_to':
      return fc.constantFrom(
        '/sessions',
        '/sessions?page=2&status=Scheduled',
        '/calendar?week=2031-03-03',
        '/therapists/1',
      );
    case 'time_zone':
      return fc.constantFrom(
        '',
        'UTC',
        'Europe/Berlin',
        'America/New_York',
        'Pacific/Chatham',
        'Asia/Kathmandu',
      );
    case 'start':
    case 'end':
      return validInterval.map((interval) => interval[field]);
    case 'sort':
      return fc.constantFrom('name', 'email', 'created_at', 'date', 'status', 'therapist', 'patient');
    case 'order':
      return fc.constantFrom('asc', 'desc');
    case 'email':
      return fc.emailAddress();
    case 'phone':
      return fc.constantFrom('', '+44 20 7946 0958', '030 1234567', '(555) 010-0199');
    case 'name':
    case 'specialty':
    case 'notes':
    case 'reason':
    case 'q':
      return fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
        .filter((text) => text.trim() !== '');
    default:
      return shortString;
  }
}

/** A form or query value just outside what the field accepts, or anything at all. */
function junkText(field: string): fc.Arbitrary<string> {
  const near = ((): fc.Arbitrary<string> => {
    switch (field) {
      case 'therapist_id':
      case 'patient_id':
      case 'series_id':
      case 'version':
      case 'page':
      case 'page_size':
      case 'duration_minutes':
      case 'buffer_minutes':
      case 'occurrences':
      case 'weekday':
        return integerText;
      case 'date':
        return fc.oneof(localDateTimeText, instantText);
      case 'week':
      case 'from':
      case 'to':
      case 'date_of_birth':
        return fc.oneof({ weight: 3, arbitrary: localDateText }, { weight: 1, arbitrary: instantText });
      case 'status':
        return fc.constantFrom('scheduled', 'Deleted', 'Completed ', '');
      case 'scope':
        return fc.constantFrom('This', 'all', '', 'following ');
      case 'repeat':
        return fc.constantFrom('daily', 'WEEKLY', 'weekly ', '1');
      case 'return_to':
        return fc.constantFrom(...RETURN_PATHS);
      case 'time_zone':
        return fc.constantFrom(...TIME_ZONES);
      case 'start':
      case 'end':
        return clockText;
      case 'sort':
        return fc.constantFrom('-name', 'id', 'NAME', 'name desc', '');
      case 'order':
        return fc.constantFrom('DESC', 'up', '', 'asc ');
      case 'email':
        return fc.constantFrom(
          'UPPER@EXAMPLE.COM',
          'ÄÖ@exämple.com',
          'x@localhost',
          '@',
          'therapist1@clinic.example',
        );
      case 'phone':
        return fc.constantFrom('++44', `+${'1'.repeat(60)}`, '((((', 'phone');
      default:
        return boundaryText;
    }
  })();
  return fc.oneof({ weight: 3, arbitrary: near }, { weight: 2, arbitrary: shortString });
}

/** Mostly valid, so that whole forms often get past validation into the services and the database. */
const formValue = (field: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: validText(field) },
    { weight: 1, arbitrary: junkText(field) },
    // A field left empty, which a form sends as `field=` and the pages read as "not given".
    { weight: 1, arbitrary: fc.constant('') },
  );

/** A short value: query strings must fit in a request line (Node refuses one over 16 kB before Express sees it). */
const queryValue = (field: string): fc.Arbitrary<string> =>
  formValue(field).map((value) => value.slice(0, 300));

// ---------------------------------------------------------------------------------------------------------------
// The API routes this file covers
// ---------------------------------------------------------------------------------------------------------------

interface ApiRoute {
  endpoint: string;
  method: Method;
  path: fc.Arbitrary<string>;
  body?: { fields: readonly string[]; required: readonly string[] };
  query?: fc.Arbitrary<string>;
  ifMatch?: boolean;
  /** Sends Idempotency-Key (and retries) on this route. */
  idempotent?: boolean;
  /** The route replays a retry with the same key and body. */
  replays?: boolean;
}

const SERIES_FIELDS = [
  'therapist_id',
  'patient_id',
  'date',
  'frequency',
  'occurrences',
  'duration_minutes',
  'notes',
];
const sessionPath = (suffix: string): fc.Arbitrary<string> =>
  pathId('sessions').map((id) => `/api/sessions/${id}${suffix}`);
const workingHoursPath = pathId('therapists').map((id) => `/api/therapists/${id}/working-hours`);

const AVAILABILITY_PARAMS = ['from', 'to', 'duration_minutes'];

/** `from`/`to` pairs that are a day, a week, the 31 days allowed, one more, years apart or reversed. */
const availabilityRange = fc
  .tuple(
    fc.integer({ min: -400, max: 800 }),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(0, 1, 7, 14, 30) },
      { weight: 2, arbitrary: fc.constantFrom(31, 32, 365, -1, -30, 3_000_000) },
    ),
    fc.constantFrom('date', 'instant', 'mixed'),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom(15, 50, 240, 14, 241, 0) },
      { weight: 1, arbitrary: integerText },
    ),
  )
  .map(([startDay, days, form, duration]) => {
    const from = new Date(YEAR_2031 + startDay * DAY);
    const to = new Date(Math.min(8.64e15, from.getTime() + days * DAY));
    const date = (instant: Date): string => instant.toISOString().slice(0, 10);
    const toText = form === 'date' ? date(to) : to.toISOString();
    const fromText = form === 'instant' ? from.toISOString() : date(from);
    const parts = [`from=${percentEncode(fromText)}`, `to=${percentEncode(toText)}`];
    if (duration !== null) parts.push(`duration_minutes=${percentEncode(String(duration))}`);
    return `?${parts.join('&')}`;
  });

const availabilityQuery = fc.oneof(
  { weight: 5, arbitrary: availabilityRange },
  {
    weight: 2,
    arbitrary: queryString(AVAILABILITY_PARAMS, (field) =>
      field === 'duration_minutes' ? integerText : fc.oneof(localDateText, instantText, shortString),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '?from=0001-01-01&to=9999-12-31',
      '?from=-271821-04-20T00:00:00Z&to=%2B275760-09-13T00:00:00Z',
      '?from=2031-03-03&to=2031-03-03',
      '?from=2031-03-03',
      '?to=2031-03-03',
      '?from=2031-03-03&from=2031-03-04&to=2031-03-10',
      '?from[]=2031-03-03&to=2031-03-10',
      '?from=2031-03-03&to=2031-03-10&duration_minutes=50&duration_minutes=60',
      '?from=2031-03-03&to=2031-03-10&duration_minutes=1e400',
      '?from=1970-01-01T00:00:00Z&to=1970-01-31T00:00:00Z',
      '?from=2031-03-09T00:00:00-05:00&to=2031-03-10T00:00:00%2B14:00',
    ),
  },
);

const API_ROUTES: readonly ApiRoute[] = [
  {
    endpoint: 'POST /api/sessions/series',
    method: 'POST',
    path: fc.constant('/api/sessions/series'),
    body: {
      fields: SERIES_FIELDS,
      required: ['therapist_id', 'patient_id', 'date', 'frequency', 'occurrences'],
    },
    idempotent: true,
    replays: true,
  },
  {
    endpoint: 'POST /api/sessions/:id/cancel',
    method: 'POST',
    path: sessionPath('/cancel'),
    body: { fields: ['reason', 'scope'], required: ['reason'] },
    ifMatch: true,
    idempotent: true,
    replays: true,
  },
  {
    endpoint: 'PATCH /api/sessions/:id (If-Match)',
    method: 'PATCH',
    path: sessionPath(''),
    body: { fields: ['status', 'reason', 'date', 'duration_minutes', 'notes'], required: [] },
    ifMatch: true,
  },
  { endpoint: 'GET /api/sessions/:id/history', method: 'GET', path: sessionPath('/history') },
  { endpoint: 'GET /api/therapists/:id/working-hours', method: 'GET', path: workingHoursPath },
  {
    endpoint: 'PUT /api/therapists/:id/working-hours',
    method: 'PUT',
    path: workingHoursPath,
    body: { fields: ['intervals'], required: ['intervals'] },
  },
  {
    endpoint: 'POST /api/therapists/:id/working-hours',
    method: 'POST',
    path: workingHoursPath,
    body: { fields: ['weekday', 'start', 'end'], required: ['weekday', 'start', 'end'] },
    idempotent: true,
  },
  {
    endpoint: 'DELETE /api/therapists/:id/working-hours/:intervalId',
    method: 'DELETE',
    path: intervalPath.map(
      ([therapist, interval]) => `/api/therapists/${therapist}/working-hours/${interval}`,
    ),
  },
  {
    endpoint: 'GET /api/therapists/:id/availability',
    method: 'GET',
    path: pathId('therapists').map((id) => `/api/therapists/${id}/availability`),
    query: availabilityQuery,
  },
];

const apiRoute = (endpoint: string): ApiRoute => {
  const route = API_ROUTES.find((candidate) => candidate.endpoint === endpoint);
  if (!route) throw new Error(`No API route ${endpoint}`);
  return route;
};

/** A request to `route` as a client would send it: the right method, a JSON body of near-valid fields. */
function apiRequest(route: ApiRoute): fc.Arbitrary<FuzzRequest> {
  const body: fc.Arbitrary<string | null> = route.body
    ? fc.oneof(
        { weight: 24, arbitrary: jsonBody(route.body.fields, route.body.required) },
        { weight: 1, arbitrary: fc.constant(null) },
      )
    : fc.constant(null);
  return fc
    .record({
      path: route.path,
      query: route.query ?? fc.constant(''),
      body,
      contentType: jsonContentType,
      ifMatch: route.ifMatch ? sometimes(ifMatchValue, 60) : fc.constant(null),
      key: route.idempotent ? sometimes(idempotencyKey, 60) : fc.constant(null),
      twice: route.idempotent ? fc.boolean() : fc.constant(false),
    })
    .map(({ path, query, body: text, contentType, ifMatch, key, twice }) =>
      withSummary({
        kind: 'api',
        endpoint: route.endpoint,
        method: route.method,
        url: `${path}${query}`,
        headers: {
          ...(text === null ? {} : contentType),
          ...(ifMatch === null ? {} : { 'If-Match': headerSafe(ifMatch) }),
          ...(key === null ? {} : { 'Idempotency-Key': headerSafe(key) }),
        },
        ...(text === null ? {} : { body: text }),
        acceptsHtml: false,
        twice: key !== null && twice,
      }),
    );
}

const chaosApiBody = fc.oneof(
  { weight: 3, arbitrary: jsonBody(['reason', 'intervals', 'weekday', 'date'], []) },
  { weight: 1, arbitrary: formText(['reason', 'scope', 'weekday', 'start', 'end']) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '{}', 'x') },
);

/**
 * Anything goes: bodies on GET and DELETE, the wrong method, odd content types and encodings, query strings,
 * If-Match and Idempotency-Key on any route.
 */
const chaosApiRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    route: fc.constantFrom(...API_ROUTES),
    method: sometimes(fc.constantFrom(...METHODS), 25),
    query: sometimes(queryString([...AVAILABILITY_PARAMS, 'scope', 'reason'], queryValue), 40),
    body: sometimes(chaosApiBody, 70),
    contentType: fc.oneof(
      jsonContentType,
      fc.constantFrom(...OTHER_CONTENT_TYPES).map((type) => ({ 'Content-Type': type })),
    ),
    encoding: sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'), 10),
    accept: sometimes(fc.constantFrom('text/html', 'application/xml', '*/*', 'application/problem+json'), 30),
    ifMatch: sometimes(ifMatchValue, 30),
    key: sometimes(idempotencyKey, 30),
  })
  .chain(({ route, method, query, body, contentType, encoding, accept, ifMatch, key }) =>
    fc.tuple(route.path, route.query ?? fc.constant('')).map(([path, routeQuery]) =>
      withSummary({
        kind: 'api',
        endpoint:
          method === null || method === route.method
            ? route.endpoint
            : `${method} (other method) on ${route.endpoint}`,
        method: method ?? route.method,
        url: `${path}${query ?? routeQuery}`,
        headers: {
          ...(body === null ? {} : contentType),
          ...(encoding === null ? {} : { 'Content-Encoding': encoding }),
          ...(accept === null ? {} : { Accept: accept }),
          ...(ifMatch === null ? {} : { 'If-Match': headerSafe(ifMatch) }),
          ...(key === null ? {} : { 'Idempotency-Key': headerSafe(key) }),
        },
        ...(body === null ? {} : { body }),
        acceptsHtml: false,
        twice: false,
      }),
    ),
  );

// ---------------------------------------------------------------------------------------------------------------
// The staff pages
// ---------------------------------------------------------------------------------------------------------------

interface PageRoute {
  endpoint: string;
  method: 'GET' | 'POST';
  path: fc.Arbitrary<string>;
  /** Query parameters of a GET, form fields of a POST. */
  fields: readonly string[];
}

const SESSION_LIST_PARAMS = [
  'q',
  'status',
  'therapist_id',
  'patient_id',
  'series_id',
  'from',
  'to',
  'sort',
  'order',
  'page',
  'page_size',
];
const PERSON_LIST_PARAMS = ['q', 'sort', 'order', 'page', 'page_size'];
const SESSION_FORM = [
  'therapist_id',
  'patient_id',
  'date',
  'duration_minutes',
  'notes',
  'repeat',
  'occurrences',
];
const THERAPIST_FORM = ['name', 'email', 'specialty', 'time_zone', 'buffer_minutes'];
const PATIENT_FORM = ['name', 'email', 'phone', 'date_of_birth'];

const page = (endpoint: string, path: fc.Arbitrary<string>, fields: readonly string[] = []): PageRoute => ({
  endpoint,
  method: endpoint.startsWith('POST') ? 'POST' : 'GET',
  path,
  fields,
});

const under = (kind: 'therapists' | 'patients' | 'sessions', suffix = ''): fc.Arbitrary<string> =>
  pathId(kind).map((id) => `/${kind}/${id}${suffix}`);

const PAGE_GETS: readonly PageRoute[] = [
  page('GET /', fc.constant('/')),
  page('GET /sessions', fc.constant('/sessions'), SESSION_LIST_PARAMS),
  page('GET /sessions/new', fc.constant('/sessions/new'), SESSION_FORM),
  page('GET /sessions/:id', under('sessions')),
  page('GET /calendar', fc.constant('/calendar'), ['week', 'therapist_id']),
  page('GET /therapists', fc.constant('/therapists'), PERSON_LIST_PARAMS),
  page('GET /therapists/new', fc.constant('/therapists/new')),
  page('GET /therapists/:id', under('therapists')),
  page('GET /therapists/:id/edit', under('therapists', '/edit')),
  page('GET /patients', fc.constant('/patients'), PERSON_LIST_PARAMS),
  page('GET /patients/new', fc.constant('/patients/new')),
  page('GET /patients/:id', under('patients')),
  page('GET /patients/:id/edit', under('patients', '/edit')),
];

const PAGE_POSTS: readonly PageRoute[] = [
  page('POST /sessions', fc.constant('/sessions'), SESSION_FORM),
  page('POST /sessions/:id', under('sessions'), ['date', 'duration_minutes', 'notes', 'version']),
  page('POST /sessions/:id/status', under('sessions', '/status'), [
    'status',
    'reason',
    'version',
    'return_to',
  ]),
  page('POST /sessions/:id/cancel', under('sessions', '/cancel'), ['reason', 'scope', 'version']),
  page('POST /therapists', fc.constant('/therapists'), THERAPIST_FORM),
  page('POST /therapists/:id', under('therapists'), THERAPIST_FORM),
  page('POST /therapists/:id/working-hours', under('therapists', '/working-hours'), [
    'weekday',
    'start',
    'end',
  ]),
  page(
    'POST /therapists/:id/working-hours/:intervalId/delete',
    intervalPath.map(([therapist, interval]) => `/therapists/${therapist}/working-hours/${interval}/delete`),
  ),
  page('POST /patients', fc.constant('/patients'), PATIENT_FORM),
  page('POST /patients/:id', under('patients'), PATIENT_FORM),
];

const hxRequest = fc.oneof(
  { weight: 5, arbitrary: fc.constant<string | null>(null) },
  { weight: 5, arbitrary: fc.constant<string | null>('true') },
  { weight: 1, arbitrary: fc.constantFrom<string | null>('false', 'TRUE', '', '1') },
);

type PageBody = { contentType: string | null; text: string | null };

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Mostly a form as a browser posts it; also empty, absent, in another format or charset, or too large. */
const pageBody = (fields: readonly string[]): fc.Arbitrary<PageBody> =>
  fc.oneof(
    { weight: 16, arbitrary: formText(fields).map((text): PageBody => ({ contentType: FORM_TYPE, text })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'application/x-www-form-urlencoded; charset=UTF-8',
            'Application/X-WWW-Form-Urlencoded',
            'application/x-www-form-urlencoded; charset=latin1',
            'application/x-www-form-urlencoded; charset=bogus',
          ),
          formText(fields),
        )
        .map(([contentType, text]): PageBody => ({ contentType, text })),
    },
    { weight: 1, arbitrary: fc.constant<PageBody>({ contentType: FORM_TYPE, text: '' }) },
    { weight: 2, arbitrary: fc.constant<PageBody>({ contentType: null, text: null }) },
    { weight: 1, arbitrary: formText(fields).map((text): PageBody => ({ contentType: 'text/plain', text })) },
    {
      weight: 1,
      arbitrary: randomObject(fields).map((object): PageBody => ({
        contentType: 'application/json',
        text: toJsonText(object),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<PageBody>(
        {
          contentType: 'multipart/form-data; boundary=xyz',
          text: '--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--xyz--\r\n',
        },
        { contentType: null, text: 'name=x' },
        { contentType: FORM_TYPE, text: `name=${'x'.repeat(102_500)}` },
        { contentType: FORM_TYPE, text: `notes=${'%F0%9F%98%80'.repeat(9_000)}` },
        {
          contentType: FORM_TYPE,
          text: Array.from({ length: 2_000 }, (_, index) => `f${index}=1`).join('&'),
        },
        { contentType: FORM_TYPE, text: '&&&===&' },
        { contentType: FORM_TYPE, text: '%' },
        { contentType: 'application/json', text: '{' },
      ),
    },
  );

interface PageOptions {
  /** Odd bodies on every route, GETs included, and query strings on POSTs. */
  chaos: boolean;
}

function pageRequest(route: PageRoute, { chaos }: PageOptions): fc.Arbitrary<FuzzRequest> {
  const isGet = route.method === 'GET';
  const noBody = fc.constant<PageBody>({ contentType: null, text: null });
  const body = isGet ? (chaos ? fc.oneof(noBody, pageBody(route.fields)) : noBody) : pageBody(route.fields);
  const query =
    isGet || chaos
      ? fc.oneof(
          { weight: 5, arbitrary: queryString(route.fields, queryValue) },
          { weight: 1, arbitrary: fc.constant('') },
        )
      : fc.constant('');
  return fc
    .record({
      path: route.path,
      query,
      body,
      hx: hxRequest,
      accept: acceptHeader,
      encoding: chaos
        ? sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown'), 15)
        : fc.constant(null),
    })
    .map(({ path, query: search, body: { contentType, text }, hx, accept, encoding }) =>
      withSummary({
        kind: 'page',
        endpoint: route.endpoint,
        method: route.method,
        url: `${path}${search}`,
        headers: {
          ...(contentType === null ? {} : { 'Content-Type': contentType }),
          ...(encoding === null || text === null ? {} : { 'Content-Encoding': encoding }),
          ...(hx === null ? {} : { 'HX-Request': hx }),
          ...(accept.value === null ? {} : { Accept: accept.value }),
        },
        ...(text === null ? {} : { body: text }),
        acceptsHtml: accept.html,
        twice: false,
      }),
    );
}

const pageRequests = (routes: readonly PageRoute[], options: PageOptions): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(...routes.map((route) => pageRequest(route, options)));

interface FuzzProperty {
  title: string;
  /** How a failure names it. */
  name: string;
  /** Built when the test runs: the generators draw ids from the pool the suite's setup fills. */
  requests: () => fc.Arbitrary<FuzzRequest>;
  numRuns: number;
}

const PROPERTIES: FuzzProperty[] = [
  {
    title: 'POST /api/sessions/series: near-valid and junk series, with Idempotency-Key retries and reuse',
    name: 'POST /api/sessions/series',
    requests: () => apiRequest(apiRoute('POST /api/sessions/series')),
    numRuns: 160,
  },
  {
    title: 'cancel, PATCH and history of sessions, with random If-Match and Idempotency-Key',
    name: 'cancel, PATCH and history',
    requests: () =>
      fc.oneof(
        apiRequest(apiRoute('POST /api/sessions/:id/cancel')),
        apiRequest(apiRoute('PATCH /api/sessions/:id (If-Match)')),
        apiRequest(apiRoute('GET /api/sessions/:id/history')),
      ),
    numRuns: 270,
  },
  {
    title:
      'working hours: GET, PUT (nested and oversized interval lists), POST ("25:99", "24:00", …) and DELETE',
    name: 'working hours',
    requests: () =>
      fc.oneof(
        apiRequest(apiRoute('GET /api/therapists/:id/working-hours')),
        { weight: 2, arbitrary: apiRequest(apiRoute('PUT /api/therapists/:id/working-hours')) },
        { weight: 2, arbitrary: apiRequest(apiRoute('POST /api/therapists/:id/working-hours')) },
        apiRequest(apiRoute('DELETE /api/therapists/:id/working-hours/:intervalId')),
      ),
    numRuns: 270,
  },
  {
    title: 'availability: random, huge, reversed and junk from/to/duration_minutes',
    name: 'GET /api/therapists/:id/availability',
    requests: () => apiRequest(apiRoute('GET /api/therapists/:id/availability')),
    numRuns: 160,
  },
  {
    title:
      'API anything goes: bodies on GET and DELETE, other methods, odd content types, headers everywhere',
    name: 'the API with odd requests',
    requests: () => chaosApiRequest,
    numRuns: 160,
  },
  {
    title: 'staff pages: every GET with random query strings and ids, with and without HX-Request',
    name: 'GET pages',
    requests: () => pageRequests(PAGE_GETS, { chaos: false }),
    numRuns: 320,
  },
  {
    title:
      'staff pages: every form post with random forms (repeated fields, junk values, no body, other formats)',
    name: 'POST pages',
    requests: () => pageRequests(PAGE_POSTS, { chaos: false }),
    numRuns: 420,
  },
  {
    title: 'staff pages anything goes: bodies on GETs, query strings on posts, odd Accept',
    name: 'pages with odd requests',
    requests: () => pageRequests([...PAGE_GETS, ...PAGE_POSTS], { chaos: true }),
    numRuns: 120,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------------

describe('more fuzzing: scheduling API and staff pages never fail with a 5xx or a wrong shape', () => {
  let t: TestApp;
  // The counts below are only for the summary printed at the end; no test depends on what another one sent.
  let sent = 0;
  const perEndpoint = new Map<string, number>();
  /** `endpoint → status → count`, printed at the end to show which answers the fuzzing reached. */
  const statuses = new Map<string, Map<number, number>>();
  /** `endpoint → milliseconds spent waiting for its answers`. */
  const elapsed = new Map<string, number>();
  let startedAt = 0;

  beforeAll(async () => {
    if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${String(SEED)}`);
    t = await createTestApp();
    const em = t.em();
    const first = await createTherapist(em);
    const second = await createTherapist(em, { timeZone: 'America/New_York', bufferMinutes: 0 });
    const third = await createTherapist(em, {
      timeZone: 'Pacific/Chatham',
      bufferMinutes: 30,
      specialty: 'Family therapy',
    });
    const alice = await createPatient(em);
    const bob = await createPatient(em, { phone: '+44 20 7946 0958', dateOfBirth: '1987-04-12' });
    const carol = await createPatient(em, { email: null });
    const sessions = [
      await createSession(em, {
        therapist: first,
        patient: alice,
        startsAt: new Date('2031-03-03T10:00:00Z'),
      }),
      await createSession(em, {
        therapist: second,
        patient: bob,
        startsAt: new Date('2031-03-05T14:00:00Z'),
        notes: 'Intake.',
      }),
      await createSession(em, {
        therapist: third,
        patient: carol,
        startsAt: new Date('2031-06-02T09:30:00Z'),
        durationMinutes: 90,
      }),
      await createSession(em, { therapist: first, patient: bob, startsAt: new Date('2031-12-31T23:30:00Z') }),
    ];
    pool.therapists.push(first.id, second.id, third.id);
    pool.patients.push(alice.id, bob.id, carol.id);
    pool.sessions.push(...sessions.map(({ id }) => id));

    const series = await t.http.post('/api/sessions/series').send({
      therapist_id: first.id,
      patient_id: alice.id,
      date: '2031-04-07T15:00:00Z',
      frequency: 'weekly',
      occurrences: 10,
      duration_minutes: 50,
    });
    if (series.status !== 201)
      throw new Error(`Could not book the seed series: ${series.status} ${series.text}`);
    learnFromApi('POST /api/sessions/series', '/api/sessions/series', series);

    for (const interval of [
      { weekday: 1, start: '09:00', end: '17:00' },
      { weekday: 3, start: '08:00', end: '12:00' },
      { weekday: 3, start: '13:00', end: '24:00' },
    ]) {
      const path = `/api/therapists/${second.id}/working-hours`;
      const response = await t.http.post(path).send(interval);
      if (response.status !== 201)
        throw new Error(`Could not add working hours: ${response.status} ${response.text}`);
      learnFromApi('POST /api/therapists/:id/working-hours', path, response);
    }
    startedAt = performance.now();
  });

  afterAll(async () => {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const byEndpoint = [...statuses]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([endpoint, tally]) => {
        const counts = [...tally].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
        const average = (elapsed.get(endpoint) ?? 0) / (perEndpoint.get(endpoint) ?? 1);
        return `  ${endpoint} (${average.toFixed(0)} ms): ${counts.join(' ')}`;
      });
    console.info(
      `More fuzzing (scheduling API and staff pages): ${sent} requests in ${seconds} s (seed ${SEED})\n${byEndpoint.join('\n')}`,
    );
    await t.close();
  });

  /** Adds the ids a successful response names to the pool, so later requests aim at them too. */
  function learnFromApi(endpoint: string, url: string, response: Response): void {
    if (response.status < 200 || response.status >= 300) return;
    const parsed = parseJson(textOf(response));
    if (!parsed.ok || !isRecord(parsed.value)) return;
    const body = parsed.value;
    const therapist = Number(/^\/api\/therapists\/(\d+)\//.exec(url)?.[1]);
    if (endpoint.includes('working-hours') && Number.isSafeInteger(therapist)) {
      const intervals = Array.isArray(body.data) ? body.data : [body];
      for (const interval of intervals) {
        const id = isRecord(interval) ? interval.id : undefined;
        if (typeof id === 'number' && !pool.intervals.some((known) => known.id === id)) {
          remember(pool.intervals, { therapist, id });
        }
      }
    }
    if (endpoint.startsWith('POST /api/sessions/series') && Array.isArray(body.data)) {
      for (const session of body.data) {
        if (isRecord(session) && typeof session.id === 'number') remember(pool.sessions, session.id);
      }
    }
  }

  function learnFromPage(response: Response): void {
    const target = response.get('HX-Redirect') ?? response.get('Location') ?? '';
    const match = /^\/(sessions|therapists|patients)\/(\d+)$/.exec(target);
    if (match?.[1] === 'sessions' || match?.[1] === 'therapists' || match?.[1] === 'patients') {
      remember(pool[match[1]], Number(match[2]));
    }
  }

  async function send(request: FuzzRequest): Promise<Response> {
    const { http } = t;
    const test =
      request.method === 'GET'
        ? http.get(request.url)
        : request.method === 'POST'
          ? http.post(request.url)
          : request.method === 'PUT'
            ? http.put(request.url)
            : request.method === 'PATCH'
              ? http.patch(request.url)
              : http.delete(request.url);
    test.set(request.headers);
    if (request.body !== undefined) {
      // superagent sends a string as is when a content type is set; without one it would label a string as a
      // form, while a Buffer goes out raw and unlabelled.
      test.send('Content-Type' in request.headers ? request.body : Buffer.from(request.body, 'utf8'));
    }
    sent += 1;
    perEndpoint.set(request.endpoint, (perEndpoint.get(request.endpoint) ?? 0) + 1);
    const started = performance.now();
    const response = await test;
    elapsed.set(request.endpoint, (elapsed.get(request.endpoint) ?? 0) + performance.now() - started);
    const tally = statuses.get(request.endpoint) ?? new Map<number, number>();
    tally.set(response.status, (tally.get(response.status) ?? 0) + 1);
    statuses.set(request.endpoint, tally);
    return response;
  }

  async function exchange(request: FuzzRequest): Promise<void> {
    const response = await send(request);
    if (request.kind === 'page') {
      check(request, response, pageDefects(request, response));
      learnFromPage(response);
      return;
    }
    check(request, response, apiDefects(response));
    learnFromApi(request.endpoint, request.url, response);
    if (!request.twice) return;
    const retry = await send(request);
    check(request, retry, apiDefects(retry));
    const replays = API_ROUTES.some((route) => route.replays && route.endpoint === request.endpoint);
    if (replays && response.status >= 200 && response.status < 300) {
      const defects: string[] = [];
      if (retry.status !== response.status)
        defects.push(`the retry got ${retry.status}, not the first ${response.status}`);
      else if (retry.get('Idempotent-Replayed') !== 'true')
        defects.push('the retry is not marked Idempotent-Replayed');
      else if (textOf(retry) !== textOf(response))
        defects.push('the retry answered another body than the first request');
      check(request, retry, defects);
    }
  }

  async function fuzz(name: string, requests: fc.Arbitrary<FuzzRequest>, numRuns: number): Promise<void> {
    try {
      await fc.assert(
        fc.asyncProperty(requests, (request) => exchange(request)),
        { numRuns, seed: SEED },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Fuzzing ${name} failed (seed ${SEED}; FUZZ_SEED=${SEED} reproduces it):\n${message}`, {
        cause: error,
      });
    }
  }

  for (const property of PROPERTIES) {
    it(property.title, () => fuzz(property.name, property.requests(), property.numRuns), PROPERTY_TIMEOUT);
  }

  it('spread at least 1 500 requests over every route', () => {
    // The requests the properties above draw with this seed, counted without sending them (so this test stands
    // alone): the generators must reach every route, not the luck of one run.
    const spread = endpointSpread(
      PROPERTIES.map((property) => ({ requests: property.requests(), numRuns: property.numRuns })),
      SEED,
    );
    const routes = [
      ...API_ROUTES.map(({ endpoint }) => endpoint),
      ...[...PAGE_GETS, ...PAGE_POSTS].map(({ endpoint }) => endpoint),
    ];
    const starved = routes
      .map((endpoint) => ({ endpoint, requests: spread.get(endpoint) ?? 0 }))
      .filter(({ requests }) => requests < 15);
    expect(starved).toEqual([]);
    expect(sumOf(spread)).toBeGreaterThanOrEqual(1500);
  });
});
