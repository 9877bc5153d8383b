import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { issueToken } from '../../src/access/api-tokens.service.js';
import type { User } from '../../src/access/user.entity.js';
import { createTestUser, csrfTokenIn, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** "Your sign-ins" (/account/sessions): the user's own browsers, and signing the others out. */
const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const LINUX_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Signs in through the form as a browser with this User-Agent, from this address (trusted from loopback). */
async function signInFrom(server: Server, email: string, userAgent: string, ip: string): Promise<TestAgent> {
  const agent = supertest.agent(server).set('User-Agent', userAgent).set('X-Forwarded-For', ip);
  const form = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ email, password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) })
    .expect(303);
  agent.set('X-CSRF-Token', csrfTokenIn((await agent.get('/login').expect(200)).text));
  return agent;
}

interface Row {
  device: string;
  title: string;
  ip: string;
  current: boolean;
  /** The handle its "Sign out" form sends; none for this browser, which signs out through /logout. */
  handle?: string;
}

/** The page's rows, read from its table. */
function rowsOf(html: string): Row[] {
  return [...html.matchAll(/<tr( class="current-sign-in")?>([\s\S]*?)<\/tr>/g)]
    .filter((match) => (match[2] ?? '').includes('data-label="Device"'))
    .map((match) => {
      const cells = match[2] ?? '';
      return {
        current: match[1] !== undefined,
        device: /<span title="[^"]*">([^<]*)<\/span>/.exec(cells)?.[1] ?? '',
        title: /<span title="([^"]*)">/.exec(cells)?.[1] ?? '',
        ip: /data-label="IP address">([^<]*)</.exec(cells)?.[1] ?? '',
        handle: /name="id" value="([0-9a-f]{32})"/.exec(cells)?.[1],
      };
    });
}

const isSignedOut = async (agent: TestAgent): Promise<boolean> => {
  const response = await agent.get('/sessions');
  return response.status === 303 && String(response.headers.location).startsWith('/login');
};

describe('your sign-ins', () => {
  let t: TestApp;
  const server = (): Server => t.app.getHttpServer();
  let user: User;

  beforeAll(async () => {
    t = await createTestApp();
  });

  beforeEach(async () => {
    user = await createTestUser(t.em(), 'receptionist');
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists the sessions of two browsers: device, address, this device marked; header and password page link it', async () => {
    const windows = await signInFrom(server(), user.email, WINDOWS_CHROME, '203.0.113.7');
    await signInFrom(server(), user.email, IPHONE_SAFARI, '198.51.100.23');
    const page = await windows.get('/account/sessions').expect(200);
    const rows = rowsOf(page.text);
    expect(rows).toEqual([
      {
        device: 'Chrome on Windows',
        title: WINDOWS_CHROME,
        ip: '203.0.113.7',
        current: true,
        handle: undefined,
      },
      {
        device: 'Safari on iOS',
        title: IPHONE_SAFARI,
        ip: '198.51.100.23',
        current: false,
        handle: expect.any(String),
      },
    ]);
    expect(page.text).toContain('This device');
    expect(page.text).toContain('Sign out everywhere else');
    expect(page.text).toContain('href="/account/sessions" aria-current="page"');
    expect((await windows.get('/account/password').expect(200)).text).toContain('href="/account/sessions"');
    // Someone else's sign-ins are not on it.
    const other = await createTestUser(t.em(), 'receptionist');
    await signInFrom(server(), other.email, LINUX_FIREFOX, '192.0.2.1');
    expect(rowsOf((await windows.get('/account/sessions').expect(200)).text)).toHaveLength(2);
  });

  /** The audit trail's record of sign-ins ended from "Your sign-ins". */
  const sessionsEnded = (): Promise<{ actor_user_id: number; detail: Record<string, unknown> }[]> =>
    t.em().execute(`select actor_user_id, detail from audit_event where action = 'auth.session_ended'`);

  it('signs one other browser out (303 back, a confirmation), and only that one', async () => {
    const here = await signInFrom(server(), user.email, WINDOWS_CHROME, '203.0.113.7');
    const phone = await signInFrom(server(), user.email, IPHONE_SAFARI, '198.51.100.23');
    const laptop = await signInFrom(server(), user.email, LINUX_FIREFOX, '198.51.100.24');
    const page = await here.get('/account/sessions').expect(200);
    const phoneRow = rowsOf(page.text).find((row) => row.device === 'Safari on iOS');
    const ended = await here
      .post('/account/sessions/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), id: phoneRow?.handle })
      .expect(303);
    expect(ended.headers.location).toBe('/account/sessions?done=signed-out');
    const after = await here.get(ended.headers.location as string).expect(200);
    expect(after.text).toContain('That sign-in has ended');
    expect(rowsOf(after.text).map((row) => row.device)).toEqual(['Chrome on Windows', 'Firefox on Linux']);
    expect(await isSignedOut(phone)).toBe(true);
    expect(await isSignedOut(laptop)).toBe(false);
    expect(await isSignedOut(here)).toBe(false);
    expect(await sessionsEnded()).toContainEqual({ actor_user_id: user.id, detail: { sessions: 'one' } });
    // Already ended: nothing of theirs has that id now.
    await here
      .post('/account/sessions/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), id: phoneRow?.handle })
      .expect(404);
  });

  it('signs out everywhere else, keeping this browser', async () => {
    const here = await signInFrom(server(), user.email, WINDOWS_CHROME, '203.0.113.7');
    const others = [
      await signInFrom(server(), user.email, IPHONE_SAFARI, '198.51.100.23'),
      await signInFrom(server(), user.email, LINUX_FIREFOX, '198.51.100.24'),
    ];
    const page = await here.get('/account/sessions').expect(200);
    const ended = await here
      .post('/account/sessions/sign-out-others')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(303);
    expect(ended.headers.location).toBe('/account/sessions?done=signed-out-others');
    const after = await here.get(ended.headers.location as string).expect(200);
    expect(after.text).toContain('Every other sign-in has ended');
    expect(rowsOf(after.text)).toEqual([
      expect.objectContaining({ device: 'Chrome on Windows', current: true }),
    ]);
    expect(after.text).not.toContain('Sign out everywhere else');
    for (const other of others) expect(await isSignedOut(other)).toBe(true);
    expect(await isSignedOut(here)).toBe(false);
    expect(await sessionsEnded()).toContainEqual({
      actor_user_id: user.id,
      detail: { sessions: 'all others' },
    });
  });

  it("cannot end another user's sign-in (404, as one that does not exist), nor send a malformed id", async () => {
    const victim = await createTestUser(t.em(), 'receptionist');
    const victimHere = await signInFrom(server(), victim.email, WINDOWS_CHROME, '203.0.113.9');
    const victimPhone = await signInFrom(server(), victim.email, IPHONE_SAFARI, '203.0.113.10');
    const victimHandle = rowsOf((await victimHere.get('/account/sessions').expect(200)).text).find(
      (row) => !row.current,
    )?.handle;
    expect(victimHandle).toMatch(/^[0-9a-f]{32}$/);
    const attacker = await signInFrom(server(), user.email, LINUX_FIREFOX, '192.0.2.66');
    const csrf = csrfTokenIn((await attacker.get('/account/sessions').expect(200)).text);
    await attacker
      .post('/account/sessions/sign-out')
      .type('form')
      .send({ _csrf: csrf, id: victimHandle })
      .expect(404);
    await attacker
      .post('/account/sessions/sign-out')
      .type('form')
      .send({ _csrf: csrf, id: 'nope' })
      .expect(400);
    // A forged form (no token of this session) is refused before anything is looked up.
    await attacker
      .post('/account/sessions/sign-out')
      .set('X-CSRF-Token', 'forged')
      .type('form')
      .send({ id: victimHandle })
      .expect(403);
    await attacker.post('/account/sessions/sign-out-others').type('form').send({ _csrf: csrf }).expect(303);
    expect(await isSignedOut(victimHere)).toBe(false);
    expect(await isSignedOut(victimPhone)).toBe(false);
  });

  it('leaves out a session past its idle timeout, which the guard would end at its next request', async () => {
    const here = await signInFrom(server(), user.email, WINDOWS_CHROME, '203.0.113.7');
    await signInFrom(server(), user.email, IPHONE_SAFARI, '198.51.100.23');
    // The phone's last request was an hour ago (the idle timeout is 30 minutes).
    await t.em().execute(
      `update http_session set sess = jsonb_set(sess::jsonb, '{lastSeenAt}', to_jsonb(?::bigint))::json
        where (sess ->> 'userId')::int = ? and sess ->> 'userAgent' = ?`,
      [Date.now() - 3_600_000, user.id, IPHONE_SAFARI],
    );
    const rows = rowsOf((await here.get('/account/sessions').expect(200)).text);
    expect(rows.map((row) => row.device)).toEqual(['Chrome on Windows']);
  });

  it('with an API token: lists the sign-ins, but will not sign out "everywhere else" (409)', async () => {
    await signInFrom(server(), user.email, WINDOWS_CHROME, '203.0.113.7');
    const { secret } = await issueToken(t.em(), user.id, 'sign-ins', null);
    const listed = await t.anonymous
      .get('/account/sessions')
      .set('Authorization', `Bearer ${secret}`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(rowsOf(listed.text)).toEqual([
      expect.objectContaining({ device: 'Chrome on Windows', current: false }),
    ]);
    await t.anonymous
      .post('/account/sessions/sign-out-others')
      .set('Authorization', `Bearer ${secret}`)
      .set('Accept', 'text/html')
      .expect(409);
  });
});
