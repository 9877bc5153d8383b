import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import supertest, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { issueToken } from '../../src/access/api-tokens.service.js';
import { MovableClock } from '../utils/clock.js';
import { htmlOf, HTMX } from '../utils/html.js';
import { problemOf } from '../utils/http.js';
import { createTestUser, csrfTokenIn, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** CSRF, the session's id and lifetimes, and refusing disabled users and dead tokens at once. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The session cookie's value in a response, if it sets one. */
function sessionCookieIn(response: Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return cookies.find((cookie) => cookie.startsWith('sid='))?.split(';')[0];
}

interface Browser {
  agent: TestAgent;
  /** The session's CSRF token, as the pages carry it; the agent does not send it by itself. */
  csrf: string;
  /** `sid=…` */
  cookie: string;
}

/** Signs in through the form, keeping the cookies but sending no CSRF token unless a test adds it. */
async function signInBrowser(t: TestApp, email: string, agent = supertest.agent(t.app.getHttpServer())) {
  const form = await agent.get('/login').expect(200);
  const response = await agent
    .post('/login')
    .type('form')
    .send({ email, password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) })
    .expect(303);
  const cookie = sessionCookieIn(response);
  if (!cookie) throw new Error('Signing in set no session cookie');
  const page = await agent.get('/login').expect(200);
  return { agent, csrf: csrfTokenIn(page.text), cookie } satisfies Browser;
}

let emails = 0;
const therapistForm = () => ({ name: 'Grace Form', email: `grace-${++emails}@clinic.example` });

function expectCsrfRefusalPage(response: Response): void {
  expect(response.status).toBe(403);
  expect(htmlOf(response).text()).toContain('The form has expired or did not come from this site');
}

describe('access', () => {
  let t: TestApp;
  const clock = new MovableClock();

  beforeAll(async () => {
    t = await createTestApp({ SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '12' }, { clock });
  });
  afterAll(() => t.close());
  afterEach(() => {
    clock.reset();
  });

  const newBrowser = async (): Promise<Browser> =>
    signInBrowser(t, (await createTestUser(t.em(), 'admin')).email);

  describe('CSRF', () => {
    it('refuses a form post without a token or with a wrong one (403 page), and accepts the right one', async () => {
      const { agent, csrf } = await newBrowser();
      expectCsrfRefusalPage(await agent.post('/therapists').type('form').send(therapistForm()));
      expectCsrfRefusalPage(
        await agent
          .post('/therapists')
          .type('form')
          .send({ ...therapistForm(), _csrf: 'not-the-token' }),
      );
      const accepted = await agent
        .post('/therapists')
        .type('form')
        .send({ ...therapistForm(), _csrf: csrf });
      expect(accepted.status).toBe(303);
    });

    it('refuses an htmx request without the X-CSRF-Token header or with a wrong one, and accepts the right one', async () => {
      const { agent, csrf } = await newBrowser();
      const missing = await agent.post('/therapists').set(HTMX).type('form').send(therapistForm());
      expectCsrfRefusalPage(missing);
      const wrong = await agent
        .post('/therapists')
        .set(HTMX)
        .set('X-CSRF-Token', 'not-the-token')
        .type('form')
        .send(therapistForm());
      expectCsrfRefusalPage(wrong);
      const accepted = await agent
        .post('/therapists')
        .set(HTMX)
        .set('X-CSRF-Token', csrf)
        .type('form')
        .send(therapistForm());
      expect(accepted.status).toBe(200);
      expect(accepted.headers['hx-redirect']).toMatch(/^\/therapists\/\d+$/);
    });

    it('refuses the token of another session', async () => {
      const mine = await newBrowser();
      const theirs = await newBrowser();
      expectCsrfRefusalPage(
        await mine.agent
          .post('/therapists')
          .type('form')
          .send({ ...therapistForm(), _csrf: theirs.csrf }),
      );
    });

    it('refuses a cookie-authenticated API write without the token (problem+json), accepts it with the token', async () => {
      const { agent, csrf } = await newBrowser();
      const refused = problemOf(await agent.post('/api/therapists').send(therapistForm()), 403);
      expect(refused.type).toBe('/problems/csrf-token-invalid');
      await agent.post('/api/therapists').set('X-CSRF-Token', csrf).send(therapistForm()).expect(201);
    });

    it('needs no CSRF token from a request with a bearer token', async () => {
      await t.anonymous
        .post('/api/therapists')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .send(therapistForm())
        .expect(201);
    });

    it('protects the sign-in form too', async () => {
      const user = await createTestUser(t.em(), 'receptionist');
      const agent = supertest.agent(t.app.getHttpServer());
      await agent.get('/login').expect(200);
      const refused = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD });
      expectCsrfRefusalPage(refused);
    });
  });

  describe('session', () => {
    it('gets a new id at sign-in; the old one is no longer signed in', async () => {
      const user = await createTestUser(t.em(), 'receptionist');
      const first = await signInBrowser(t, user.email);
      // Signing in again in the same browser (as after a planted cookie) replaces the id.
      const second = await signInBrowser(t, user.email, first.agent);
      expect(second.cookie).not.toBe(first.cookie);
      await supertest(t.app.getHttpServer()).get('/therapists').set('Cookie', second.cookie).expect(200);
      const old = await supertest(t.app.getHttpServer()).get('/therapists').set('Cookie', first.cookie);
      expect(old.status).toBe(303);
      expect(old.headers.location).toBe('/login?next=%2Ftherapists');
    });

    it(`ends after SESSION_IDLE_MINUTES without a request: the next page goes to /login?next=<the page>`, async () => {
      const { agent } = await newBrowser();
      clock.advance(29 * MINUTE);
      await agent.get('/therapists').expect(200);
      clock.advance(31 * MINUTE);
      const expired = await agent.get('/therapists/new');
      expect(expired.status).toBe(303);
      expect(expired.headers.location).toBe('/login?next=%2Ftherapists%2Fnew');
      // Ended, not only refused once: coming back within the idle time does not revive it.
      clock.advance(-31 * MINUTE);
      expect((await agent.get('/therapists')).status).toBe(303);
    });

    it('ends SESSION_ABSOLUTE_HOURS after sign-in however active it is', async () => {
      const { agent } = await newBrowser();
      let elapsed = 0;
      while (elapsed + 29 * MINUTE <= 12 * HOUR) {
        clock.advance(29 * MINUTE);
        elapsed += 29 * MINUTE;
        await agent.get('/therapists').expect(200);
      }
      clock.advance(29 * MINUTE);
      const expired = await agent.get('/therapists');
      expect(expired.status).toBe(303);
      expect(expired.headers.location).toBe('/login?next=%2Ftherapists');
    });
  });

  describe('refused at once', () => {
    it('a disabled user: the signed-in browser and their tokens', async () => {
      const user = await createTestUser(t.em(), 'receptionist');
      const { agent } = await signInBrowser(t, user.email);
      const { secret } = await issueToken(t.em(), user.id, 'integration', null);
      await agent.get('/api/therapists').expect(200);
      await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`).expect(200);

      await t.em().execute(`update staff_user set disabled = true where id = ?`, [user.id]);

      problemOf(await agent.get('/api/therapists'), 401);
      expect((await agent.get('/therapists')).status).toBe(303);
      const byToken = await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`);
      expect(problemOf(byToken, 401).type).toBe('/problems/unauthorized');
      expect(byToken.headers['www-authenticate']).toBe('Bearer');
    });

    it('a revoked token', async () => {
      const user = await createTestUser(t.em(), 'receptionist');
      const { secret, token } = await issueToken(t.em(), user.id, 'integration', null);
      await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`).expect(200);
      await t.em().execute(`update api_token set revoked_at = now() where id = ?`, [token.id]);
      problemOf(await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`), 401);
    });

    it('an expired token', async () => {
      const user = await createTestUser(t.em(), 'receptionist');
      const expiresAt = new Date(clock.now().getTime() + HOUR);
      const { secret } = await issueToken(t.em(), user.id, 'integration', expiresAt);
      await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`).expect(200);
      clock.advance(HOUR + MINUTE);
      problemOf(await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${secret}`), 401);
    });
  });
});
