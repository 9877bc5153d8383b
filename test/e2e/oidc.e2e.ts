import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Provider from 'oidc-provider';
import { createTestUser } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** What the provider says about each login a test types into its (development) login form. */
const accounts = new Map<string, { email: string; email_verified: boolean }>();

/**
 * A browser for the flow: follows redirects across the app and the provider, keeps each origin's cookies, and
 * fills in the provider's development login and consent forms with `login`.
 */
class FlowBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  /** Follows `url` until a response that is not a redirect, or until `stopAt` (a URL prefix, not requested). */
  async follow(url: string, login: string, stopAt?: string): Promise<{ url: string; response?: Response }> {
    let current = url;
    for (let hop = 0; hop < 20; hop++) {
      if (stopAt && current.startsWith(stopAt)) return { url: current };
      const response = await this.get(current);
      const location = response.headers.get('location');
      if (location) {
        current = new URL(location, current).href;
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) return { url: current, response: new Response(html, { status: response.status }) };
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? 'login';
      const body = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'x' } : {}) });
      const posted = await this.request(new URL(action, current).href, { method: 'POST', body });
      current = new URL(posted.headers.get('location') ?? current, current).href;
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    this.jar.set(origin, cookies);
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('single sign-on with an OpenID Connect provider on loopback', () => {
  let t: TestApp;
  let app: string;
  let idp: Server;
  let issuer: string;
  // The provider's port first (the app is configured with it), its client once the app's port is known.
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };

  beforeAll(async () => {
    idp = createServer((request, response) => {
      handle(request, response);
    });
    issuer = await listening(idp);
    t = await createTestApp({
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: 'therapy-sessions',
      OIDC_CLIENT_SECRET: 'a-client-secret-for-the-test-provider',
      OIDC_BUTTON_LABEL: 'Sign in with Test IdP',
      MFA_REQUIRED: 'true',
      // Every refused answer counts against 127.0.0.1's sign-in attempts; the limit has its own test below.
      SIGN_IN_ATTEMPTS_PER_MINUTE: '100',
    });
    app = await t.listen();
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'therapy-sessions',
          client_secret: 'a-client-secret-for-the-test-provider',
          redirect_uris: [`${app.replace('[::1]', '127.0.0.1')}/login/oidc/callback`],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      findAccount: (_context, sub) => ({
        accountId: sub,
        claims: () => ({
          sub,
          ...(accounts.get(sub) ?? { email: `${sub}@nowhere.example`, email_verified: false }),
        }),
      }),
      cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
    });
    const callback = provider.callback();
    handle = (request, response) => {
      void callback(request, response);
    };
  });

  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => idp.close(resolve));
  });

  /** Starts at the app's button and returns the provider's answer to the app's callback (not yet followed). */
  const toCallback = async (browser: FlowBrowser, login: string, next = '/patients'): Promise<string> =>
    (
      await browser.follow(
        `${app}/login/oidc?next=${encodeURIComponent(next)}`,
        login,
        `${app}/login/oidc/callback`,
      )
    ).url;

  const trail = (): Promise<{ outcome: string; detail: { cause?: string; method?: string } }[]> =>
    t.em().execute(`select outcome, detail from audit_event where action = 'auth.sign_in' order by id desc`);

  it('offers the button on the sign-in page and signs a verified e-mail in to its account, back to `next`', async () => {
    const login = await fetch(`${app}/login?next=%2Fpatients`);
    const page = await login.text();
    expect(page).toContain('Sign in with Test IdP');
    expect(page).toContain('href="/login/oidc?next=%2Fpatients"');

    const admin = await createTestUser(t.em(), 'admin', { name: 'Sso Admin' });
    accounts.set('ada', { email: admin.email.toUpperCase(), email_verified: true });
    const browser = new FlowBrowser();
    const callback = await toCallback(browser, 'ada');
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();
    const answered = await browser.get(callback);
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe('/patients');
    // Signed in, and not held for two-factor enrolment: the provider took the second factor.
    expect((await browser.get(`${app}/patients`)).status).toBe(200);
    expect((await trail())[0]).toMatchObject({ outcome: 'success', detail: { method: 'sso' } });
  });

  it('refuses a wrong state, a replayed code and the provider’s own error, and signs nobody in', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    accounts.set('rita', { email: user.email, email_verified: true });

    const forged = new FlowBrowser();
    const callback = new URL(await toCallback(forged, 'rita'));
    callback.searchParams.set('state', 'not-the-state-this-browser-was-given');
    const wrongState = await forged.get(callback.href);
    expect(wrongState.status).toBe(401);
    expect(await wrongState.text()).toContain('could not be verified');
    expect((await forged.get(`${app}/patients`)).status).toBe(303);

    const first = new FlowBrowser();
    const used = new URL(await toCallback(first, 'rita'));
    expect((await first.get(used.href)).status).toBe(303);
    // Again in the same browser: its sign-in was spent by the first answer.
    expect((await first.get(used.href)).status).toBe(400);
    // The same code again, on a sign-in this browser has just started (its own state): the provider refuses it.
    const replay = new FlowBrowser();
    const fresh = new URL(await toCallback(replay, 'rita'));
    used.searchParams.set('state', fresh.searchParams.get('state') ?? '');
    const replayed = await replay.get(used.href);
    expect(replayed.status).toBe(401);
    expect((await replay.get(`${app}/patients`)).status).toBe(303);

    const denied = new FlowBrowser();
    const started = new URL(await toCallback(denied, 'rita'));
    const error = await denied.get(
      `${app}/login/oidc/callback?error=access_denied&state=${started.searchParams.get('state') ?? ''}`,
    );
    expect(error.status).toBe(401);
    expect(await error.text()).toContain('did not sign you in');

    const causes = (await trail())
      .filter((event) => event.outcome === 'failure')
      .slice(0, 4)
      .map((event) => event.detail.cause?.replace(/:.*/, ''));
    expect(causes).toEqual(['provider_error', 'invalid_answer', 'no_pending_sign_in', 'invalid_answer']);
  });

  it('refuses an unverified e-mail, an e-mail with no account and a disabled account, each with its message', async () => {
    const disabled = await createTestUser(t.em(), 'receptionist');
    // With MFA_REQUIRED the test's signed-in admin is held for enrolment; its token is not.
    await t.anonymous
      .patch(`/api/users/${disabled.id}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ disabled: true })
      .expect(200);
    accounts.set('unverified', { email: disabled.email, email_verified: false });
    accounts.set('stranger', { email: 'stranger@elsewhere.example', email_verified: true });
    accounts.set('gone', { email: disabled.email, email_verified: true });
    const expectations: [string, number, string, string][] = [
      ['unverified', 403, 'has not verified your e-mail', 'email_not_verified'],
      ['stranger', 403, 'No account here uses stranger@elsewhere.example', 'no_account'],
      ['gone', 403, 'This account is disabled', 'disabled'],
    ];
    for (const [login, status, message, cause] of expectations) {
      const browser = new FlowBrowser();
      const answered = await browser.get(await toCallback(browser, login));
      expect({ login, status: answered.status }).toEqual({ login, status });
      expect(await answered.text()).toContain(message);
      expect((await trail())[0]).toMatchObject({ outcome: 'failure', detail: { cause } });
      expect((await browser.get(`${app}/patients`)).status).toBe(303);
    }
  });

  it('says so with 503 when the provider fails between its answer and the token request, then works again', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    accounts.set('olga', { email: user.email, email_verified: true });
    const working = handle;
    const outages: [string, typeof handle][] = [
      ['connection dropped', (request) => request.socket.destroy()],
      ['502 from a proxy', (_request, response) => response.writeHead(502).end('Bad gateway')],
    ];
    try {
      for (const [outage, failing] of outages) {
        const browser = new FlowBrowser();
        const callback = await toCallback(browser, 'olga');
        handle = failing;
        const answered = await browser.get(callback);
        handle = working;
        expect({ outage, status: answered.status }).toEqual({ outage, status: 503 });
        expect(await answered.text()).toContain('cannot be reached right now');
      }
    } finally {
      handle = working;
    }
    const browser = new FlowBrowser();
    expect((await browser.get(await toCallback(browser, 'olga'))).status).toBe(303);
  });

  it('says so with 503 while the provider cannot be reached, and counts refused answers as sign-in attempts', async () => {
    const down = await createTestApp({
      OIDC_ISSUER_URL: 'http://127.0.0.1:9/unreachable',
      OIDC_CLIENT_ID: 'x',
      OIDC_CLIENT_SECRET: 'y',
      SIGN_IN_ATTEMPTS_PER_MINUTE: '2',
    });
    try {
      const response = await down.anonymous.get('/login/oidc').expect(503);
      expect(response.text).toContain('cannot be reached right now');
      // Answers this browser never asked for: refused, and after two the address waits like a password guesser.
      const forged = '/login/oidc/callback?code=guessed&state=guessed';
      await down.anonymous.get(forged).expect(400);
      await down.anonymous.get(forged).expect(400);
      const limited = await down.anonymous.get(forged).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.text).toContain('Too many sign-in attempts');
    } finally {
      await down.close();
    }
  });

  it('shows the button only where single sign-on is configured', async () => {
    const plain = await t.anonymous.get('/login').expect(200);
    expect(plain.text).toContain('Sign in with Test IdP');
    const without = await createTestApp();
    try {
      expect((await without.anonymous.get('/login').expect(200)).text).not.toContain('/login/oidc');
      await without.anonymous.get('/login/oidc').expect(404);
    } finally {
      await without.close();
    }
  });
});
