import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import supertest, { type Response } from 'supertest';
import { issueToken } from '../../src/access/api-tokens.service.js';
import { createTherapist } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { problemOf } from '../utils/http.js';
import { createTestUser, csrfTokenIn, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { TcpProxy } from '../utils/tcp-proxy.js';

/**
 * Rate limits, counted in PostgreSQL: sign-in failures per client address and per account, API requests per
 * token. Each test signs in from addresses of its own (`X-Forwarded-For`, which the app trusts from loopback).
 */

let addressCount = 0;
/** A client address no other test uses. */
const newAddress = (): string => `198.51.100.${++addressCount}`;

/** One sign-in attempt through the form, as a browser at `address` makes it. */
async function attempt(t: TestApp, address: string, email: string, password: string): Promise<Response> {
  const browser = supertest.agent(t.app.getHttpServer());
  const form = await browser.get('/login').set('X-Forwarded-For', address).expect(200);
  return browser
    .post('/login?next=%2Ftherapists')
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ email, password, _csrf: csrfTokenIn(form.text) });
}

const wrongPassword = 'not the password at all';

function expectRefusedSignIn(response: Response): void {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const $ = htmlOf(response);
  expect($('[role=alert]').text()).toContain('Too many sign-in attempts');
  expect($('[role=alert]').text()).toContain(`Wait ${retryAfter} second`);
  // The form is still there, next to the message, and posts back to the page asked for.
  expect($('form input[name=email]').length).toBe(1);
  expect($('form').attr('action')).toBe('/login?next=%2Ftherapists');
}

describe('sign-in rate limit (5 a minute per address and per account)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses the 6th attempt from one address within a minute, whatever the accounts, with 429 and Retry-After', async () => {
    const address = newAddress();
    for (let i = 0; i < 5; i++) {
      const response = await attempt(t, address, `nobody-${i}@staff.example`, wrongPassword);
      expect(response.status).toBe(401);
    }
    const user = await createTestUser(t.em(), 'receptionist');
    // Even the right password: the address has used up its attempts.
    expectRefusedSignIn(await attempt(t, address, user.email, TEST_PASSWORD));
    // Another address is not affected.
    expect((await attempt(t, newAddress(), user.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('refuses the 6th attempt on one account within a minute, whatever the addresses (e-mail case ignored)', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    const spellings = [user.email, user.email.toUpperCase(), ` ${user.email} `];
    for (let i = 0; i < 5; i++) {
      const response = await attempt(t, newAddress(), spellings[i % spellings.length] ?? '', wrongPassword);
      expect(response.status).toBe(401);
    }
    expectRefusedSignIn(await attempt(t, newAddress(), user.email, TEST_PASSWORD));
    // The account next door signs in from the same kind of fresh address as usual.
    const other = await createTestUser(t.em(), 'receptionist');
    expect((await attempt(t, newAddress(), other.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('does not count successful sign-ins: a practice behind one address signs in all at once', async () => {
    const address = newAddress();
    for (let i = 0; i < 8; i++) {
      const user = await createTestUser(t.em(), 'receptionist');
      const response = await attempt(t, address, user.email, TEST_PASSWORD);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/therapists');
    }
    // Failures still count from that address: four are allowed, after which the 6th attempt is refused.
    const user = await createTestUser(t.em(), 'receptionist');
    for (let i = 0; i < 4; i++) {
      expect((await attempt(t, address, user.email, wrongPassword)).status).toBe(401);
    }
    expect((await attempt(t, address, user.email, TEST_PASSWORD)).status).toBe(303);
    expect((await attempt(t, address, user.email, wrongPassword)).status).toBe(401);
    expectRefusedSignIn(await attempt(t, address, user.email, TEST_PASSWORD));
  });

  it('does not count a form sent without an e-mail or a password (no password is checked)', async () => {
    const address = newAddress();
    const user = await createTestUser(t.em(), 'receptionist');
    for (let i = 0; i < 6; i++) {
      expect(
        (await attempt(t, address, i % 2 === 0 ? '' : user.email, i % 2 === 0 ? TEST_PASSWORD : '')).status,
      ).toBe(400);
    }
    expect((await attempt(t, address, user.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('keeps its counters in an unlogged table (no WAL flush per counted request)', async () => {
    const [table] = await t
      .em()
      .execute<{ relpersistence: string }[]>(
        `select relpersistence from pg_class where relname = 'rate_limit'`,
      );
    expect(table?.relpersistence).toBe('u');
  });

  it('keeps no e-mail address in its counters', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    await attempt(t, newAddress(), user.email, wrongPassword);
    const rows = await t.em().execute<{ key: string }[]>(`select key from rate_limit`);
    expect(rows.length).toBeGreaterThan(0);
    const localPart = user.email.split('@')[0] ?? user.email;
    for (const { key } of rows) {
      expect(key).not.toContain('@');
      expect(key.toLowerCase()).not.toContain(localPart.toLowerCase());
    }
  });

  it('is shared by two instances on one database', async () => {
    const second = await createTestApp({}, { shareDatabaseOf: t.databaseUrl });
    try {
      const user = await createTestUser(t.em(), 'receptionist');
      for (let i = 0; i < 5; i++) {
        const instance = i % 2 === 0 ? t : second;
        expect((await attempt(instance, newAddress(), user.email, wrongPassword)).status).toBe(401);
      }
      expectRefusedSignIn(await attempt(second, newAddress(), user.email, TEST_PASSWORD));
      expectRefusedSignIn(await attempt(t, newAddress(), user.email, TEST_PASSWORD));
    } finally {
      await second.close();
    }
  });
});

describe('API rate limit (API_REQUESTS_PER_MINUTE per token)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Three requests per window, and a window of 2 s rather than a minute, so that the test can wait it out.
    t = await createTestApp({ API_REQUESTS_PER_MINUTE: '3' }, { access: { rateLimitWindowSeconds: 2 } });
  });
  afterAll(() => t.close());

  it('counts every request of a token, refuses the one over the limit with a 429 problem, and lets it in again after the window', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    const { secret } = await issueToken(t.em(), user.id, 'limited', null);
    const get = () => t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await get().expect(200);
      expect(response.headers['ratelimit-limit']).toBe('3');
      remaining.push(String(response.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await get();
    const problem = problemOf(refused, 429);
    expect(problem.type).toBe('/problems/too-many-requests');
    expect(problem.detail).toContain('more than 3 requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(refused.headers['ratelimit-remaining']).toBe('0');

    // Another token, and the browser session of a signed-in user, have their own allowance (or none).
    const { secret: other } = await issueToken(t.em(), user.id, 'other', null);
    await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${other}`).expect(200);
    const cookie = await t.http.get('/api/therapists').expect(200);
    expect(cookie.headers['ratelimit-limit']).toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    const again = await get().expect(200);
    expect(again.headers['ratelimit-remaining']).toBe('2');
  });

  it('refuses even the requests its role could not make: the limit counts before the role check', async () => {
    const therapist = await createTherapist(t.em());
    const user = await createTestUser(t.em(), 'therapist', { therapistId: therapist.id });
    const { secret } = await issueToken(t.em(), user.id, 'forbidden', null);
    // A therapist may not create a therapist: 403 three times, then 429.
    for (let i = 0; i < 3; i++) {
      await t.anonymous
        .post('/api/therapists')
        .set('Authorization', `Bearer ${secret}`)
        .send({ name: 'X', email: `x-${i}@example.com` })
        .expect(403);
    }
    await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`).expect(429);
  });
});

describe('rate limits while the database fails', () => {
  let t: TestApp | undefined;
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    jest.restoreAllMocks();
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    t = undefined;
    proxy = undefined;
  });

  it('answers 503 (not 500) when the counters cannot be read in time, for the API and the sign-in form', async () => {
    // The counters' table is locked by another session: the limiter's statement is cancelled at the timeout.
    t = await createTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    const app = t;
    const user = await createTestUser(app.em(), 'receptionist');
    const locker = new pg.Client({ connectionString: app.databaseUrl });
    await locker.connect();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await locker.query('begin');
      await locker.query('lock table rate_limit in access exclusive mode');

      const api = await app.anonymous.get('/api/therapists').set('Authorization', `Bearer ${app.adminToken}`);
      const problem = problemOf(api, 503);
      expect(problem.type).toBe('/problems/service-unavailable');
      expect(api.headers['retry-after']).toBe('5');

      const signIn = await attempt(app, newAddress(), user.email, TEST_PASSWORD);
      expect(signIn.status).toBe(503);
      expect(htmlOf(signIn)('h1').text()).toContain('Temporarily unavailable');
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    await app.anonymous.get('/api/therapists').set('Authorization', `Bearer ${app.adminToken}`).expect(200);
  });

  it('answers the sign-in form 503 when PostgreSQL cannot be reached at all', async () => {
    proxy = await TcpProxy.start(process.env.TEST_DATABASE_ADMIN_URL ?? '');
    const through = proxy;
    t = await createTestApp({}, { connectThrough: (url) => through.url(url) });
    const user = await createTestUser(t.em(), 'receptionist');
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const browser = supertest.agent(t.app.getHttpServer());
    const form = await browser.get('/login').expect(200);
    await proxy.cut();
    const signIn = await browser
      .post('/login')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) });
    expect(signIn.status).toBe(503);
    expect(signIn.headers['retry-after']).toBe('5');
  });
});
