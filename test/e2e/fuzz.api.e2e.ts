import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import {
  clip,
  endpointSpread,
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
  toJsonText,
  truncated,
  type Encoding,
} from '../utils/fuzz.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Property-based fuzzing of every REST endpoint: random, malformed and near-valid bodies, query strings, path ids
 * and content types. Whatever is sent, the API must answer with a 2xx JSON document or a 4xx RFC 9457 problem,
 * never with a 5xx. The seed is fixed so that a failure reproduces; `FUZZ_SEED=<n>` tries another one.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_115);
const PROPERTY_TIMEOUT = 120_000;

const RESOURCES = ['therapists', 'patients', 'sessions'] as const;
type Resource = (typeof RESOURCES)[number];
type Method = 'GET' | 'POST' | 'PATCH';
type Route = 'list' | 'get' | 'create' | 'update';

const ROUTES: Record<Route, { method: Method; withId: boolean }> = {
  list: { method: 'GET', withId: false },
  get: { method: 'GET', withId: true },
  create: { method: 'POST', withId: false },
  update: { method: 'PATCH', withId: true },
};

const endpointOf = (resource: Resource, route: Route): string =>
  `${ROUTES[route].method} /api/${resource}${ROUTES[route].withId ? '/:id' : ''}`;

const ALL_ENDPOINTS = RESOURCES.flatMap((resource) =>
  (Object.keys(ROUTES) as Route[]).map((route) => endpointOf(resource, route)),
);

interface BodyFields {
  create: readonly string[];
  /** Required on create: plausible bodies always carry them, so that they get past validation more often. */
  required: readonly string[];
  update: readonly string[];
}

const BODY_FIELDS: Record<Resource, BodyFields> = {
  therapists: {
    create: ['name', 'email', 'specialty'],
    required: ['name', 'email'],
    update: ['name', 'email', 'specialty'],
  },
  patients: {
    create: ['name', 'email', 'phone', 'date_of_birth'],
    required: ['name'],
    update: ['name', 'email', 'phone', 'date_of_birth'],
  },
  sessions: {
    create: ['therapist_id', 'patient_id', 'date', 'duration_minutes', 'notes'],
    required: ['therapist_id', 'patient_id', 'date'],
    update: ['status', 'date', 'duration_minutes', 'notes'],
  },
};

const PERSON_QUERY = ['page', 'page_size', 'order', 'q', 'sort'] as const;
const QUERY_PARAMS: Record<Resource, readonly string[]> = {
  therapists: PERSON_QUERY,
  patients: PERSON_QUERY,
  sessions: [...PERSON_QUERY, 'status', 'therapist_id', 'patient_id', 'from', 'to'],
};

type Seeded = Record<Resource, readonly number[]>;

interface FuzzRequest {
  endpoint: string;
  method: Method;
  /** Path and query string, exactly as handed to supertest. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------------------------

function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join(' | ');
  return [
    `${request.method} ${clip(request.url, 600)}`,
    `  headers: ${headers || '(none)'}`,
    `  body: ${request.body === undefined ? '(none)' : clip(request.body)}`,
  ].join('\n');
}

/** Makes fast-check print counterexamples readably (bodies can be 100 kB) instead of as raw objects. */
const withSummary = (request: FuzzRequest): FuzzRequest =>
  Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request) });

function describeExchange(request: FuzzRequest, response: Response): string {
  return [
    describeRequest(request),
    `  → ${response.status} ${response.get('Content-Type') ?? '(no content-type)'}`,
    `  response: ${clip(response.text, 800)}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The properties every response must have
// ---------------------------------------------------------------------------------------------------------------

function checkExchange(request: FuzzRequest, response: Response): void {
  const { status } = response;
  let defects: string[];
  if (status >= 200 && status < 300) {
    const contentType = response.get('Content-Type') ?? '';
    defects = [];
    if (!/^application\/json(;|$)/.test(contentType)) defects.push(`2xx with content-type ${contentType}`);
    if (!parseJson(response.text).ok) defects.push('2xx whose body is not JSON');
  } else if (status >= 400 && status < 500) {
    defects = problemDefects(response);
  } else {
    defects = [status >= 500 ? `server error ${status}` : `unexpected status ${status}`];
  }
  if (defects.length > 0) {
    throw new Error(`${defects.join('; ')}\n${describeExchange(request, response)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------------

/** Text that passes (or just fails) the length validators: around 40, 200, 254 and 2000 characters. */
const boundaryText = repeated(
  ['x', 'É', ' ', '😀', '\uFE0F', 'a\uFE0F', 'e\u0301', '\u0000', 'ß', '\u200B', '\uD800', 'b\uDC00'],
  [1, 2, 39, 40, 41, 64, 100, 199, 200, 201, 253, 254, 255, 1000, 1999, 2000, 2001, 2500],
);

const INTERESTING_STRINGS = [
  '',
  ' ',
  '   ',
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
  ' 1 ',
  '+1',
  '0x10',
  'NaN',
  'Infinity',
  'Scheduled',
  'Completed',
  'scheduled',
  'COMPLETED',
  'Cancelled',
  '2025-11-15',
  '2025-11-15T10:00:00Z',
  '2025-11-15T10:00:00',
  '2025-11-15T10:00:00+14:00',
  '2025-11-15T10:00:00.123456789-12:00',
  '1900-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-14:00',
  '+010000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2025-02-29',
  '2024-02-29',
  '1900-01-01',
  '9999-12-31',
  '0000-00-00',
  'a@b.co',
  'UPPER@EXAMPLE.COM',
  'ÄÖ@exämple.com',
  'İ@example.com',
  'x@localhost',
  '@',
  '%',
  '_',
  '\\',
  '%_\\',
  "'; drop table therapist; --",
  '<script>alert(1)</script>',
  '{{name}}',
  '../../etc/passwd',
  '+44 20 7946 0958',
  '++44',
  '((((((((((',
  'Europe/Berlin',
];

const interestingString = fc.constantFrom(...INTERESTING_STRINGS);

/** Strings short enough for a query string: Node answers a request line over 16 kB itself, with a bare 431. */
const shortString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: interestingString },
);

const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: interestingString },
  { weight: 1, arbitrary: boundaryText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 100, maxLength: 3000 }) },
);

const anyNumber = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -0,
    0.5,
    -1,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    2 ** 53,
    1e21,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc
    .constantFrom(
      '1e400',
      '-1e400',
      '123456789012345678901234567890',
      '-123456789012345678901234567890',
      '0.0000000000000000000000001',
      '1E2',
      '-0',
      '1.0',
      '50.0',
      '2147483648',
      '01',
      '1e',
      '.5',
      '+1',
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

const TODAY = new Date().toISOString().slice(0, 10);
const DAY_AFTER_TOMORROW = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

const localDateText = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1850, max: 10_050 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([year, month, day]) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`),
  fc
    .date({
      min: new Date('1890-01-01T00:00:00Z'),
      max: new Date('2035-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom(
    '1900-01-01',
    '1899-12-31',
    '9999-12-31',
    '2024-02-29',
    '2023-02-29',
    '2025-1-5',
    '20251115',
  ),
  // Today and the day after tomorrow (UTC), for "not in the future"; fixed when the file loads.
  fc.constantFrom(TODAY, DAY_AFTER_TOMORROW),
);

const instantText = fc.oneof(
  { weight: 4, arbitrary: fc.constant('2025-11-15T10:00:00Z') },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.date({
          min: new Date('1850-01-01T00:00:00Z'),
          max: new Date('+010100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(
          'Z',
          'Z',
          '+00:00',
          '+14:00',
          '-12:00',
          '+05:30',
          '',
          'z',
          '-00:00',
          '+24:00',
          '[UTC]',
        ),
      )
      .map(([date, offset]) => `${date.toISOString().slice(0, -1)}${offset}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '1900-01-01T00:00:00Z',
      '1900-01-01T00:00:00+01:00',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T20:00:00-14:00',
      '2025-11-15T10:00:00.123456789Z',
      '2025-11-15 10:00:00Z',
      '2025-11-15T25:00:00Z',
      '2025-11-15T10:00:00+14:00[Europe/Berlin]',
    ),
  },
);

/** Values near what each field accepts, so that requests also get past validation into the database. */
function plausibleValue(field: string, seeded: Seeded): fc.Arbitrary<unknown> {
  switch (field) {
    case 'name':
      return fc.oneof(
        { weight: 5, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
        { weight: 3, arbitrary: boundaryText },
        { weight: 2, arbitrary: interestingString },
        { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((name) => `  ${name}\t `) },
      );
    case 'email':
      return fc.oneof(
        { weight: 6, arbitrary: fc.emailAddress() },
        { weight: 1, arbitrary: fc.emailAddress().map((email) => ` ${email.toUpperCase()} `) },
        // A lone surrogate: valid JSON (`"\ud83d"`), but not encodable as UTF-8.
        { weight: 1, arbitrary: fc.emailAddress().map((email) => email.replace('@', '\uD83D@')) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.string({
                unit: fc.constantFrom('a', 'Z', '.', '+', '\uFE0F', 'é'),
                minLength: 1,
                maxLength: 70,
              }),
              fc.array(
                fc.string({
                  unit: fc.constantFrom('b', 'Ü', '-', '\uFE0F', '9'),
                  minLength: 1,
                  maxLength: 64,
                }),
                { minLength: 1, maxLength: 5 },
              ),
            )
            .map(([local, labels]) => `${local}@${labels.join('.')}.com`),
        },
        { weight: 1, arbitrary: interestingString },
      );
    case 'specialty':
    case 'notes':
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
        { weight: 3, arbitrary: boundaryText },
        { weight: 1, arbitrary: fc.constantFrom(null, '', '   ') },
      );
    case 'phone':
      return fc.oneof(
        { weight: 4, arbitrary: fc.stringMatching(/^ ?\+?[0-9 ().-]{0,44} ?$/) },
        { weight: 1, arbitrary: fc.constantFrom(null, '', '+44 20 7946 0958', `+${'1'.repeat(40)}`) },
      );
    case 'date_of_birth':
      return fc.oneof({ weight: 5, arbitrary: localDateText }, { weight: 1, arbitrary: fc.constant(null) });
    case 'date':
      return instantText;
    case 'therapist_id':
    case 'patient_id':
      return fc.oneof(
        {
          weight: 8,
          arbitrary: fc.constantFrom(...seeded[field === 'therapist_id' ? 'therapists' : 'patients']),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(0, -1, 999_999, 2 ** 31 - 1, 2 ** 31, 1.5, '1', ' 2 ', '1.0'),
        },
      );
    case 'duration_minutes':
      return fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: -10, max: 300 }) },
        { weight: 2, arbitrary: fc.constantFrom(14, 15, 50, 240, 241, '50', ' 60 ', '1e2', 50.5, 0, -0) },
      );
    case 'status':
      return fc.constantFrom('Scheduled', 'Completed', 'scheduled', 'Cancelled', '', 'Completed ');
    default:
      return anyValue;
  }
}

const JUNK_KEYS = [
  '',
  ' ',
  'id',
  'version',
  'created_at',
  'updated_at',
  'NAME',
  ' name',
  'name\u0000',
  'therapist',
  'patient',
  'ends_at',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '$where',
  'email.address',
  'a'.repeat(300),
];

const bodyKey = (fields: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: fc.constantFrom(...JUNK_KEYS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );

/** Real and junk keys, each with either a near-valid or an arbitrary value (of any JSON type). */
const randomObject = (fields: readonly string[], seeded: Seeded): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .array(
      bodyKey(fields).chain((key) =>
        fc
          .oneof(plausibleValue(key, seeded), anyValue, fc.constant(null))
          .map((value): [string, unknown] => [key, value]),
      ),
      { maxLength: 8 },
    )
    .map((entries) => Object.fromEntries(entries));

/** The real fields, each probably valid, the optional ones sometimes left out, plus at times a junk key. */
const plausibleObject = (
  fields: readonly string[],
  required: readonly string[],
  seeded: Seeded,
): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((field) => [field, plausibleValue(field, seeded)])), {
        requiredKeys: [...required],
      }),
      sometimes(fc.tuple(fc.constantFrom(...JUNK_KEYS), anyValue), 10),
    )
    .map(([object, junk]) => (junk ? { ...object, [junk[0]]: junk[1] } : object));

/** Broken JSON, JSON that body-parser's strict mode refuses (scalars), and valid but tricky JSON. */
const ODD_JSON_TEXTS = [
  '{',
  '}',
  '[',
  '{"name":',
  '{"name":"x",}',
  "{'name':'x'}",
  '{name:"x"}',
  '{"name":"x"}}',
  '{"a":1}{"b":2}',
  'NaN',
  'undefined',
  'null',
  'true',
  '0',
  '-1',
  '1e400',
  '"text"',
  '\ufeff{}',
  '{"\\uZZZZ":1}',
  '{"a":"\\ud800"}',
  '{"a":"\u0000"}',
  '<xml/>',
  'name=x&email=y@example.com',
  '\u0000',
  ' \n\t ',
  '{"a":1e99999}',
  '{"a":01}',
  '{"a":-}',
  '{"a":.5}',
  '{"__proto__":{"name":"x"}}',
  '{"constructor":{"prototype":{"name":"x"}}}',
  '{"name":"x","name":"y"}',
];

const malformedText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_JSON_TEXTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

/** Deep nesting (arrays take 2 bytes a level, so 50 000 levels still fit the 100 kB limit). */
const deepText = (fields: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(10, 100, 1_000, 5_000, 20_000, 50_000),
      fc.constantFrom('array', 'object'),
      sometimes(fc.constantFrom(...fields, 'junk'), 70),
    )
    .map(([depth, container, key]) => {
      const levels = container === 'array' ? depth : Math.min(depth, 20_000);
      const nested =
        container === 'array'
          ? `${'['.repeat(levels)}1${']'.repeat(levels)}`
          : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
      return key === null ? nested : `{${JSON.stringify(key)}:${nested}}`;
    });

/** Larger and smaller than the 100 kB (102 400 bytes) limit. */
const hugeText = fc
  .tuple(fc.constantFrom(90_000, 102_380, 102_500, 300_000), fc.constantFrom('name', 'notes', 'junk'))
  .map(([size, key]) => `{"${key}":"${'x'.repeat(size)}"}`);

/** Which bodies to send: JSON objects of real and junk fields, everything else, or both. */
type BodyKind = 'objects' | 'shapes' | 'any';

/** A request body as raw text: JSON objects, arrays, scalars, broken, truncated, deep, huge or empty. */
function bodyText(
  kind: BodyKind,
  fields: readonly string[],
  required: readonly string[],
  seeded: Seeded,
): fc.Arbitrary<string> {
  const objects = [
    { weight: 20, arbitrary: plausibleObject(fields, required, seeded).map(toJsonText) },
    { weight: 10, arbitrary: randomObject(fields, seeded).map(toJsonText) },
  ];
  const shapes = [
    {
      weight: 2,
      arbitrary: fc.array(fc.oneof(randomObject(fields, seeded), anyValue), { maxLength: 4 }).map(toJsonText),
    },
    { weight: 2, arbitrary: anyScalar.map(toJsonText) },
    { weight: 2, arbitrary: truncated(randomObject(fields, seeded).map(toJsonText)) },
    { weight: 3, arbitrary: malformedText },
    { weight: 2, arbitrary: deepText(fields) },
    { weight: 1, arbitrary: hugeText },
    { weight: 1, arbitrary: fc.constant('') },
  ];
  return fc.oneof(...(kind === 'objects' ? objects : kind === 'shapes' ? shapes : [...objects, ...shapes]));
}

const JSON_CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'Application/JSON',
  'application/json;charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=bogus',
  'application/json; foo=bar',
  'application/merge-patch+json',
  'application/problem+json',
  'application/vnd.api+json',
];

/** Mostly `application/json`; some variants of it, some other types, some requests without any. */
const contentTypeHeader: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ 'Content-Type': 'application/json' }) },
  { weight: 3, arbitrary: fc.constantFrom(...JSON_CONTENT_TYPES).map((type) => ({ 'Content-Type': type })) },
  { weight: 2, arbitrary: fc.constantFrom(...OTHER_CONTENT_TYPES).map((type) => ({ 'Content-Type': type })) },
  { weight: 1, arbitrary: fc.constant({}) },
);

/** Unusual but legal headers for the anything-goes property. */
const chaosHeaders: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    contentTypeHeader,
    sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip'), 15),
    sometimes(fc.constantFrom('text/html', 'application/xml', '*/*', 'application/problem+json'), 30),
  )
  .map(([contentType, encoding, accept]) => ({
    ...contentType,
    ...(encoding === null ? {} : { 'Content-Encoding': encoding }),
    ...(accept === null ? {} : { Accept: accept }),
  }));

const pathId = (existing: readonly number[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...existing).map(String) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '0',
        '-1',
        '-0',
        '00',
        '01',
        '1.0',
        '1.5',
        '1e3',
        '+1',
        '%201',
        '2147483647',
        '2147483648',
        '4294967296',
        '9999999999',
        '99999999999999999999',
        '1'.repeat(400),
        'NaN',
        'Infinity',
        'null',
        'undefined',
        'true',
        'abc',
        '1abc',
        '0x1F',
        '..',
        '.',
        '%',
        '%zz',
        '%E0%A4%A',
        '%00',
        '1%00',
        '%2F',
        '%C0%AE',
        '%ED%A0%80',
        '%F0%9F%98%80',
        '%D9%A1',
        '',
      ),
    },
    { weight: 2, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(percentEncode) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(percentEncode) },
  );

const integerText = fc.oneof(
  fc.integer({ min: -5, max: 120 }).map(String),
  fc.constantFrom(
    '0',
    '1',
    '-1',
    '-0',
    '+1',
    '01',
    '007',
    ' 5',
    ' 5 ',
    '\t5',
    '1.0',
    '1.5',
    '1e2',
    '0x10',
    'NaN',
    'Infinity',
    '100',
    '101',
    '2147483647',
    '2147483648',
    '999999999999999',
    '9999999999999999',
    '100000000000000000000',
    '1'.repeat(40),
    '',
    'abc',
    '1,2',
    '١',
    '５',
  ),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
);

function queryValue(key: string, seeded: Seeded): fc.Arbitrary<string> {
  const known = (values: readonly string[]): fc.Arbitrary<string> =>
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: shortString });
  switch (key) {
    case 'page':
    case 'page_size':
      return fc.oneof({ weight: 4, arbitrary: integerText }, { weight: 1, arbitrary: shortString });
    case 'therapist_id':
    case 'patient_id':
      return fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .constantFrom(...seeded[key === 'therapist_id' ? 'therapists' : 'patients'])
            .map(String),
        },
        { weight: 3, arbitrary: integerText },
        { weight: 1, arbitrary: shortString },
      );
    case 'order':
      return known(['asc', 'desc', 'ASC', 'DESC', '', 'asc ', 'up']);
    case 'sort':
      return known([
        'name',
        'email',
        'created_at',
        'date',
        'status',
        'therapist',
        'patient',
        'id',
        'NAME',
        '-name',
        'name desc',
        'created_at;drop table patient',
      ]);
    case 'status':
      return known(['Scheduled', 'Completed', 'scheduled', '', 'Cancelled', 'Scheduled,Completed']);
    case 'from':
    case 'to':
      return fc.oneof(
        { weight: 3, arbitrary: localDateText },
        { weight: 3, arbitrary: instantText },
        { weight: 1, arbitrary: shortString },
      );
    case 'q':
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
        { weight: 2, arbitrary: interestingString },
        {
          weight: 1,
          arbitrary: repeated(['x', 'É', ' ', '😀', '\uFE0F', '%', '\u0000'], [1, 2, 199, 200, 201, 300]),
        },
      );
    default:
      return shortString;
  }
}

const JUNK_QUERY_KEYS = [
  '',
  'PAGE',
  'Page',
  'page[]',
  'page[0]',
  'page[a]',
  'q[]',
  'q[a][b]',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'id',
  'limit',
  'offset',
  ' page',
  'page ',
  'filter[status]',
];

interface QueryPair {
  key: string;
  value: string;
  /** `?page` rather than `?page=`. */
  bare: boolean;
  encoding: Encoding;
  garbage: string;
}

function encodeComponent(text: string, encoding: Encoding, garbage: string): string {
  switch (encoding) {
    case 'percent':
      return percentEncode(text);
    case 'plus':
      return percentEncode(text).replace(/%20/g, '+');
    case 'raw':
      // Left as is (the URL parser encodes what it must); only `#` would cut the query short.
      return text.replace(/#/g, '%23');
    case 'malformed':
      return `${percentEncode(text)}${garbage}`;
  }
}

/** Real parameter names (often repeated) and junk ones, with random or malformed values, in several encodings. */
const queryString = (resource: Resource, seeded: Seeded): fc.Arbitrary<string> => {
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...QUERY_PARAMS[resource]) },
    { weight: 1, arbitrary: fc.constantFrom(...JUNK_QUERY_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const pair: fc.Arbitrary<QueryPair> = key.chain((name) =>
    fc.record({
      key: fc.constant(name),
      value: queryValue(name, seeded),
      bare: fc.oneof(
        { weight: 1, arbitrary: fc.constant(true) },
        { weight: 9, arbitrary: fc.constant(false) },
      ),
      encoding: fc.constantFrom<Encoding>('percent', 'percent', 'percent', 'plus', 'raw', 'malformed'),
      garbage: fc.constantFrom(...MALFORMED_PERCENT),
    }),
  );
  return fc
    .tuple(
      fc.array(pair, { maxLength: 7 }),
      fc.constantFrom('&', '&', '&', '&&', ';'),
      fc.constantFrom('?', '?', '?&', '??'),
    )
    .map(([pairs, separator, prefix]) => {
      if (pairs.length === 0) return prefix === '?' ? '' : prefix;
      const parts = pairs.map(({ key: name, value, bare, encoding, garbage }) => {
        const encodedKey = encodeComponent(name, encoding === 'malformed' ? 'percent' : encoding, garbage);
        return bare ? encodedKey : `${encodedKey}=${encodeComponent(value, encoding, garbage)}`;
      });
      return `${prefix}${parts.join(separator)}`;
    })
    .filter((query) => query.length <= 8_000);
};

interface RequestShape {
  resource: Resource;
  route: Route;
  bodies: BodyKind;
  /** Unusual headers, query strings on every route and bodies on GETs too. */
  chaos: boolean;
}

function fuzzRequest(
  { resource, route, bodies, chaos }: RequestShape,
  seeded: Seeded,
): fc.Arbitrary<FuzzRequest> {
  const { method, withId } = ROUTES[route];
  const { create, required, update } = BODY_FIELDS[resource];
  const [fields, requiredFields] = route === 'update' ? [update, []] : [create, required];
  const path = withId
    ? pathId(seeded[resource]).map((id) => `/api/${resource}/${id}`)
    : fc.constant(`/api/${resource}`);
  const query =
    route === 'list' || chaos
      ? fc.oneof(
          { weight: 6, arbitrary: queryString(resource, seeded) },
          { weight: 1, arbitrary: fc.constant('') },
        )
      : fc.constant('');
  const body: fc.Arbitrary<string | undefined> =
    method === 'GET' && !chaos
      ? fc.constant(undefined)
      : fc
          .oneof(
            {
              weight: method === 'GET' ? 1 : 24,
              arbitrary: bodyText(bodies, fields, requiredFields, seeded),
            },
            { weight: 1, arbitrary: fc.constant(null) },
          )
          .map((text) => text ?? undefined);
  const headers = chaos ? chaosHeaders : contentTypeHeader;
  return fc.tuple(path, query, body, headers).map(([pathname, search, text, headerSet]) =>
    withSummary({
      endpoint: endpointOf(resource, route),
      method,
      url: `${pathname}${search}`,
      headers: method === 'GET' && text === undefined ? {} : headerSet,
      ...(text === undefined ? {} : { body: text }),
    }),
  );
}

const requestsTo = (
  routes: readonly Route[],
  seeded: Seeded,
  { bodies = 'any', chaos = false }: { bodies?: BodyKind; chaos?: boolean } = {},
): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    ...RESOURCES.flatMap((resource) =>
      routes.map((route) => fuzzRequest({ resource, route, bodies, chaos }, seeded)),
    ),
  );

interface FuzzProperty {
  title: string;
  /** How a failure names it. */
  name: string;
  requests: (seeded: Seeded) => fc.Arbitrary<FuzzRequest>;
  numRuns: number;
}

const PROPERTIES: FuzzProperty[] = [
  {
    title: 'POST and PATCH: JSON objects mixing real and junk fields, with values of every type',
    name: 'POST and PATCH with JSON objects',
    requests: (seeded) => requestsTo(['create', 'update'], seeded, { bodies: 'objects' }),
    numRuns: 700,
  },
  {
    title: 'POST and PATCH: malformed, truncated, scalar, array, deeply nested, oversized and empty bodies',
    name: 'POST and PATCH with odd bodies',
    requests: (seeded) => requestsTo(['create', 'update'], seeded, { bodies: 'shapes' }),
    numRuns: 400,
  },
  {
    title: 'list query strings: real, unknown, repeated, empty, malformed and percent-encoded parameters',
    name: 'GET /api/{therapists,patients,sessions}',
    requests: (seeded) => requestsTo(['list'], seeded),
    numRuns: 500,
  },
  {
    title: 'GET by random path ids',
    name: 'GET /api/{therapists,patients,sessions}/:id',
    requests: (seeded) => requestsTo(['get'], seeded),
    numRuns: 300,
  },
  {
    title: 'anything goes: any endpoint, odd headers, query strings everywhere, bodies on GETs',
    name: 'any endpoint',
    requests: (seeded) => requestsTo(['list', 'get', 'create', 'update'], seeded, { chaos: true }),
    numRuns: 400,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------------

describe('API fuzzing: never a 5xx, every error an RFC 9457 problem', () => {
  let t: TestApp;
  let seeded: Seeded;
  /** Only for the summary printed at the end; no test depends on what another one sent. */
  let sent = 0;
  let startedAt = 0;

  beforeAll(async () => {
    if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${String(SEED)}`);
    t = await createTestApp();
    const em = t.em();
    const therapists = [await createTherapist(em), await createTherapist(em), await createTherapist(em)];
    const patients = [
      await createPatient(em),
      await createPatient(em, { phone: '+44 20 7946 0958', dateOfBirth: '1987-04-12' }),
      await createPatient(em, { email: null }),
    ];
    const sessions = [
      await createSession(em, { therapist: therapists[0], patient: patients[0] }),
      await createSession(em, { therapist: therapists[1], patient: patients[1], notes: 'Intake.' }),
      await createSession(em, { therapist: therapists[0], patient: patients[2], durationMinutes: 90 }),
      await createSession(em, {
        therapist: therapists[2],
        patient: patients[1],
        startsAt: new Date('2025-12-01T23:30:00Z'),
      }),
    ];
    seeded = {
      therapists: therapists.map((therapist) => therapist.id),
      patients: patients.map((patient) => patient.id),
      sessions: sessions.map((session) => session.id),
    };
    startedAt = performance.now();
  });

  afterAll(async () => {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    console.info(`API fuzzing: ${sent} requests in ${seconds} s (seed ${SEED})`);
    await t.close();
  });

  async function send(request: FuzzRequest): Promise<Response> {
    const { http } = t;
    const test =
      request.method === 'GET'
        ? http.get(request.url)
        : request.method === 'POST'
          ? http.post(request.url)
          : http.patch(request.url);
    test.set(request.headers);
    if (request.body !== undefined) {
      // superagent sends a string as is when a content type is set (and JSON-serializes a Buffer then); without
      // one it would label a string as a form, while a Buffer goes out raw and unlabelled.
      test.send('Content-Type' in request.headers ? request.body : Buffer.from(request.body, 'utf8'));
    }
    sent += 1;
    return await test;
  }

  async function fuzz(name: string, requests: fc.Arbitrary<FuzzRequest>, numRuns: number): Promise<void> {
    try {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          checkExchange(request, await send(request));
        }),
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
    it(
      property.title,
      () => fuzz(property.name, property.requests(seeded), property.numRuns),
      PROPERTY_TIMEOUT,
    );
  }

  it('spread at least 2 000 requests over every endpoint', () => {
    // The requests the properties above draw with this seed, counted without sending them (so this test stands
    // alone): the generators must reach every endpoint, not the luck of one run.
    const spread = endpointSpread(
      PROPERTIES.map((property) => ({ requests: property.requests(seeded), numRuns: property.numRuns })),
      SEED,
    );
    const starved = ALL_ENDPOINTS.map((endpoint) => ({
      endpoint,
      requests: spread.get(endpoint) ?? 0,
    })).filter(({ requests }) => requests < 50);
    expect(starved).toEqual([]);
    expect(sumOf(spread)).toBeGreaterThanOrEqual(2000);
  });
});
