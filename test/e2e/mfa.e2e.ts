import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { MfaRecoveryCode } from '../../src/access/mfa-recovery-code.entity.js';
import { groupedSecret } from '../../src/access/totp.js';
import { User } from '../../src/access/user.entity.js';
import { htmlOf, textsOf } from '../utils/html.js';
import { problemOf } from '../utils/http.js';
import { codeStep, enrol, passwordStep, SteppingClock, totpCode, withCsrf } from '../utils/mfa.js';
import { createTestUser, csrfTokenIn, signInAs, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The session id a response sets, if any. */
const sidIn = (response: supertest.Response): string | undefined =>
  ([] as string[])
    .concat(response.headers['set-cookie'] ?? [])
    .find((cookie) => cookie.startsWith('sid='))
    ?.split(';')[0];

// Required enrolment (MFA_REQUIRED=true), by role: mfa-required.e2e.ts.
describe('two-factor sign-in (TOTP)', () => {
  let t: TestApp;
  const clock = new SteppingClock();
  const server = (): Server => t.app.getHttpServer();

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_ATTEMPTS_PER_MINUTE: '5' }, { clock });
  });

  afterAll(async () => {
    await t.close();
  });

  /** What the audit trail holds about an account's sign-ins and second factor, oldest first. */
  const trailOf = (userId: number): Promise<{ action: string; outcome: string; detail: object }[]> =>
    t
      .em()
      .execute(
        `select action, outcome, detail from audit_event where record_type = 'user' and record_id = ? and action like 'auth.%' order by id`,
        [userId],
      );

  /** A receptionist signed in (no second factor yet) and enrolled: their e-mail, secret and recovery codes. */
  async function enrolledReceptionist(): Promise<{
    email: string;
    id: number;
    secret: string;
    codes: string[];
  }> {
    const user = await createTestUser(t.em(), 'receptionist');
    const { secret, recoveryCodes } = await enrol(await signInAs(server(), user.email), clock);
    return { email: user.email, id: user.id, secret, codes: recoveryCodes };
  }

  it('enrols from /account/mfa: QR code and secret until a first code confirms, then ten codes shown once', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    const agent = await signInAs(server(), user.email);
    const off = htmlOf(await agent.get('/account/mfa').expect(200));
    expect(off('button').text()).toContain('Set up two-factor sign-in');
    await agent.post('/account/mfa/setup').type('form').send({}).expect(303);
    const setup = await agent.get('/account/mfa').expect(200);
    const $ = htmlOf(setup);
    expect(setup.headers['cache-control']).toBe('no-store');
    expect($('img.mfa-qr').attr('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect($('img.mfa-qr').attr('alt')).toMatch(/QR code/);
    const secret = $('.mfa-secret').text().replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.text).toContain(groupedSecret(secret).slice(0, 9));

    const wrong = await agent.post('/account/mfa/confirm').type('form').send({ code: '000000' }).expect(400);
    expect(htmlOf(wrong)('#confirm_code-error').text()).toMatch(/not right/);
    const empty = await agent.post('/account/mfa/confirm').type('form').send({ code: '' }).expect(400);
    expect(htmlOf(empty)('#confirm_code-error').text()).toMatch(/Enter the 6-digit code/);

    const confirmed = await agent
      .post('/account/mfa/confirm')
      .type('form')
      .send({ code: totpCode(secret, clock.now()) })
      .expect(200);
    expect(confirmed.headers['cache-control']).toBe('no-store');
    // The page that shows the codes shows the authenticator's secret no more.
    expect(htmlOf(confirmed)('.mfa-secret, img.mfa-qr, #confirm_code')).toHaveLength(0);
    expect(confirmed.text).not.toContain(groupedSecret(secret).slice(0, 9));
    const codes = textsOf(htmlOf(confirmed), '.recovery-codes code');
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    codes.forEach((code) => {
      expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    });

    // From now on neither the secret nor the codes are shown, stored in clear, or given by the API.
    const on = await agent.get('/account/mfa').expect(200);
    expect(on.text).not.toContain(groupedSecret(secret).slice(0, 9));
    expect(textsOf(htmlOf(on), '.recovery-codes code')).toEqual([]);
    expect(htmlOf(on)('main').text()).toMatch(/10 of 10 recovery codes left/);
    const row = await t.em().findOneOrFail(User, user.id, { populate: ['mfaSecret'] });
    expect(row.mfaSecret).not.toContain(secret);
    expect(row.mfaEnabledAt).not.toBeNull();
    const hashes = (await t.em().find(MfaRecoveryCode, { user: user.id })).map((code) => code.codeHash);
    expect(hashes).toHaveLength(10);
    codes.forEach((code) => {
      expect(hashes.join()).not.toContain(code.replace(/-/g, ''));
    });
    const api = await t.http.get(`/api/users/${user.id}`).expect(200);
    expect(api.body).toMatchObject({ mfa_enabled: true });
    expect(JSON.stringify(api.body)).not.toMatch(/mfa_secret|mfaSecret|v1\./);
    // Starting over while it is on is refused; the page offers no such button.
    await agent.post('/account/mfa/setup').type('form').send({}).expect(409);
    expect((await trailOf(user.id)).map((event) => event.action)).toContain('auth.mfa_enrolled');
  });

  it('the password step does not sign in: the code step does, with a new session id', async () => {
    const { email, id, secret } = await enrolledReceptionist();
    const agent = supertest.agent(server());
    const form = await agent.get('/login').expect(200);
    const password = await agent
      .post('/login')
      .type('form')
      .send({ email, password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) })
      .expect(303)
      .expect('Location', '/login/mfa');
    const waiting = sidIn(password);
    expect(waiting).toBeDefined();
    await agent.get('/sessions').expect(303).expect('Location', '/login?next=%2Fsessions');
    const wrong = await codeStep(agent, '123456');
    expect(wrong.status).toBe(401);
    expect(htmlOf(wrong)('[role=alert]').text()).toMatch(/That code is not right/);
    const right = await codeStep(agent, totpCode(secret, clock.now()));
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/day');
    expect(sidIn(right)).toBeDefined();
    expect(sidIn(right)).not.toBe(waiting);
    await agent.get('/sessions').expect(200);
    // Signed in: the waiting state is gone with the old session.
    await agent.get('/login/mfa').expect(303).expect('Location', '/login');
    expect((await trailOf(id)).slice(-2)).toEqual([
      { action: 'auth.sign_in', outcome: 'failure', detail: { reason: 'mfa_failed', email } },
      { action: 'auth.sign_in', outcome: 'success', detail: { method: 'password and second factor' } },
    ]);
  });

  it('accepts one step of clock drift either way, no more', async () => {
    const { email, secret } = await enrolledReceptionist();
    clock.nextStep(3);
    const agent = await passwordStep(server(), email);
    expect((await codeStep(agent, totpCode(secret, clock.now(), -2))).status).toBe(401);
    expect((await codeStep(agent, totpCode(secret, clock.now(), 2))).status).toBe(401);
    expect((await codeStep(agent, totpCode(secret, clock.now(), -1))).status).toBe(303);
    const again = await passwordStep(server(), email);
    expect((await codeStep(again, totpCode(secret, clock.now(), 1))).status).toBe(303);
  });

  it('refuses a code already used (replay), also when sent twice at once', async () => {
    const { email, secret } = await enrolledReceptionist();
    const code = totpCode(secret, clock.now());
    expect((await codeStep(await passwordStep(server(), email), code)).status).toBe(303);
    const replay = await codeStep(await passwordStep(server(), email), code);
    expect(replay.status).toBe(401);
    expect(htmlOf(replay)('[role=alert]').text()).toMatch(/used already/);

    clock.nextStep();
    const next = totpCode(secret, clock.now());
    const agents = await Promise.all([passwordStep(server(), email), passwordStep(server(), email)]);
    const pages = await Promise.all(agents.map((agent) => agent.get('/login/mfa').expect(200)));
    const statuses = await Promise.all(
      agents.map(async (agent, i) => {
        const csrf = csrfTokenIn(pages[i]?.text ?? '');
        return (await agent.post('/login/mfa').type('form').send({ code: next, _csrf: csrf })).status;
      }),
    );
    expect(statuses.sort()).toEqual([303, 401]);
  });

  it('a recovery code signs in once, with or without its dashes, and only once under concurrency', async () => {
    const { email, id, codes } = await enrolledReceptionist();
    const [first = '', second = ''] = codes;
    const agent = await passwordStep(server(), email);
    expect((await codeStep(agent, first.toUpperCase().replace(/-/g, ''))).status).toBe(303);
    expect((await trailOf(id)).map((event) => event.action)).toContain('auth.recovery_code_used');
    const again = await codeStep(await passwordStep(server(), email), first);
    expect(again.status).toBe(401);
    const page = await (await withCsrf(agent)).get('/account/mfa').expect(200);
    expect(htmlOf(page)('main').text()).toMatch(/9 of 10 recovery codes left/);

    const racers = await Promise.all([passwordStep(server(), email), passwordStep(server(), email)]);
    const results = await Promise.all(racers.map((racer) => codeStep(racer, second)));
    expect(results.map((result) => result.status).sort()).toEqual([303, 401]);
  });

  it('limits code checks per account: the sixth within the window is refused with 429, even when right', async () => {
    const { email, secret } = await enrolledReceptionist();
    const agent = await passwordStep(server(), email);
    for (let i = 0; i < 5; i++) expect((await codeStep(agent, '000000')).status).toBe(401);
    const refused = await codeStep(agent, totpCode(secret, clock.now()));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(htmlOf(refused)('[role=alert]').text()).toMatch(/Too many codes tried for this account/);
    // Another browser, the same account: the limit is the account's.
    expect((await codeStep(await passwordStep(server(), email), totpCode(secret, clock.now()))).status).toBe(
      429,
    );
  });

  it('the code step expires after a few minutes, refuses a post without CSRF token, and needs a code', async () => {
    const { email } = await enrolledReceptionist();
    const agent = await passwordStep(server(), email);
    await agent.post('/login/mfa').type('form').send({ code: '123456' }).expect(403);
    const csrf = csrfTokenIn((await agent.get('/login/mfa').expect(200)).text);
    await agent.post('/login/mfa').type('form').send({ code: ' ', _csrf: csrf }).expect(400);
    clock.advance(6 * 60_000);
    const late = await agent
      .post('/login/mfa')
      .type('form')
      .send({ code: '123456', _csrf: csrf })
      .expect(400);
    expect(htmlOf(late)('[role=alert]').text()).toMatch(/took too long/);
    await agent.get('/login/mfa').expect(303).expect('Location', '/login');
    // Nobody waiting: straight to the sign-in page.
    await t.anonymous.get('/login/mfa').expect(303).expect('Location', '/login');
  });

  it('new recovery codes and turning it off need a current code; then the password alone signs in', async () => {
    const { email, secret, codes } = await enrolledReceptionist();
    const agent = await withCsrf(await passwordStep(server(), email));
    expect((await codeStep(agent, totpCode(secret, clock.now()))).status).toBe(303);
    await withCsrf(agent);
    const bad = await agent
      .post('/account/mfa/recovery-codes')
      .type('form')
      .send({ code: '000000' })
      .expect(400);
    expect(htmlOf(bad)('#regenerate_code-error').text()).toMatch(/not right/);
    const renewed = await agent
      .post('/account/mfa/recovery-codes')
      .type('form')
      .send({ code: codes[0] })
      .expect(200);
    const fresh = textsOf(htmlOf(renewed), '.recovery-codes code');
    expect(fresh).toHaveLength(10);
    // The old codes are void (the one just used too).
    expect((await codeStep(await passwordStep(server(), email), codes[1] ?? '')).status).toBe(401);
    await agent.post('/account/mfa/disable').type('form').send({ code: '' }).expect(400);
    clock.nextStep();
    await agent
      .post('/account/mfa/disable')
      .type('form')
      .send({ code: totpCode(secret, clock.now()) })
      .expect(303);
    await signInAs(server(), email);
    expect(await t.em().count(MfaRecoveryCode, { user: { email } })).toBe(0);
  });

  it('an admin resets it over the API (204) and on the user page; the user signs in with the password alone', async () => {
    const viaApi = await enrolledReceptionist();
    const receptionist = await t.signIn('receptionist');
    problemOf(await receptionist.delete(`/api/users/${viaApi.id}/mfa`), 403);
    problemOf(await t.http.delete('/api/users/999999/mfa'), 404);
    await t.http.delete(`/api/users/${viaApi.id}/mfa`).expect(204);
    await t.http.delete(`/api/users/${viaApi.id}/mfa`).expect(204);
    expect((await t.http.get(`/api/users/${viaApi.id}`).expect(200)).body).toMatchObject({
      mfa_enabled: false,
    });
    await signInAs(server(), viaApi.email);

    const viaPage = await enrolledReceptionist();
    const on = htmlOf(await t.http.get(`/users/${viaPage.id}`).expect(200));
    expect(on('#mfa + p').text()).toMatch(/On since/);
    expect(on('details.confirm-reset summary').text()).toMatch(/Reset two-factor/);
    await t.http
      .post(`/users/${viaPage.id}/mfa/reset`)
      .type('form')
      .send({})
      .expect(303)
      .expect('Location', `/users/${viaPage.id}#mfa`);
    const off = htmlOf(await t.http.get(`/users/${viaPage.id}`).expect(200));
    expect(off('#mfa + p').text()).toMatch(/Off/);
    expect(await trailOf(viaPage.id)).toContainEqual({
      action: 'auth.mfa_reset',
      outcome: 'success',
      detail: { by: 'admin' },
    });
    await signInAs(server(), viaPage.email);
  });
});
