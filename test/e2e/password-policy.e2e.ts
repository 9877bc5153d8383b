import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { ensureAccounts } from '../../src/access/accounts.js';
import { User } from '../../src/access/user.entity.js';
import type { AccessConfig } from '../../src/config/access-config.js';
import { createTestUser, csrfTokenIn, signInAs, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The password rule (src/access/password-policy.ts) on every path that sets a password — the API's create and
 * reset, the admin pages' create and reset, one's own change (the command line's is in account-cli.e2e.ts) — and
 * which sessions end after a change or a reset.
 */
const STRONG = 'quiet lantern orbits the marsh';
const SHORT = 'Use at least 12 characters.';
const PERSONAL = 'Leave your e-mail address and your name out of your password.';
const WEAK = /^This password is too easy to guess\. \S/;

/** Weak, short, or holding the e-mail address or the name (Priya Raman) of the account. */
const refused = (email: string): [string, string | RegExp][] => [
  ['password1234', WEAK],
  ['tiny-pass', SHORT],
  [`${email.toUpperCase()}!`, PERSONAL],
  ['raman rides the night bus', PERSONAL],
];
const NAME = 'Priya Raman';

interface Problem {
  type: string;
  errors: { field: string; message: string }[];
}

/** 400 problem+json naming the `password` field with the rule's reason. */
function expectPasswordProblem(response: Response, reason: string | RegExp): void {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.body as Problem;
  expect(problem.type).toBe('/problems/validation-error');
  expect(problem.errors).toEqual([{ field: 'password', message: expect.stringMatching(reason) }]);
}

/** The page again with the reason next to the field (`<small id='…-error'>`), status 400. */
function expectFieldMessage(response: Response, field: string, reason: string | RegExp): void {
  expect(response.status).toBe(400);
  const message = new RegExp(`id='${field}-error' class='field-error'>([^<]*)<`).exec(response.text)?.[1];
  expect(message?.replaceAll('&#x27;', "'").replaceAll('&quot;', '"')).toMatch(reason);
}

describe('password policy', () => {
  let t: TestApp;
  const server = (): Server => t.app.getHttpServer();
  let seq = 0;
  /** A new e-mail address whose local part is no word of the name. */
  const newEmail = (): string => `frontdesk${++seq}@clinic.example`;
  /** A receptionist named Priya Raman, with the e-mail address the refused passwords hold. */
  const priya = async (role: 'receptionist' | 'therapist' = 'receptionist'): Promise<User> => {
    const user = await createTestUser(t.em(), role, { name: NAME });
    const email = newEmail();
    await t.em().nativeUpdate(User, { id: user.id }, { email });
    return Object.assign(user, { email });
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('API create: refuses a weak, short or personal first password (400 naming the field), takes a strong one', async () => {
    const email = newEmail();
    for (const [password, reason] of refused(email)) {
      const response = await t.http
        .post('/api/users')
        .send({ email, name: NAME, role: 'receptionist', password });
      // The DTO refuses the short one before the service, naming the same field.
      if (reason === SHORT)
        expect((response.body as Problem).errors.map((e) => e.field)).toEqual(['password']);
      else expectPasswordProblem(response, reason);
    }
    expect(await t.em().count(User, { email })).toBe(0);
    await t.http
      .post('/api/users')
      .send({ email, name: NAME, role: 'receptionist', password: STRONG })
      .expect(201);
  });

  it('API reset: refuses a weak, short or personal chosen password; takes a strong one, not answered back', async () => {
    const user = await priya();
    for (const [password, reason] of refused(user.email)) {
      const response = await t.http.patch(`/api/users/${user.id}`).send({ reset_password: true, password });
      if (reason === SHORT)
        expect((response.body as Problem).errors.map((e) => e.field)).toEqual(['password']);
      else expectPasswordProblem(response, reason);
    }
    const alone = await t.http.patch(`/api/users/${user.id}`).send({ password: STRONG }).expect(400);
    expect((alone.body as Problem).errors[0]?.field).toBe('password');
    const reset = await t.http
      .patch(`/api/users/${user.id}`)
      .send({ reset_password: true, password: STRONG })
      .expect(200);
    expect(reset.body).toMatchObject({ must_change_password: true });
    expect(JSON.stringify(reset.body)).not.toContain(STRONG);
    const agent = await signInAs(server(), user.email, STRONG);
    expect((await agent.get('/sessions').expect(303)).headers.location).toBe('/account/password');
  });

  it('page create: shows the reason next to the password field', async () => {
    const form = await t.http.get('/users/new').expect(200);
    const email = newEmail();
    for (const [password, reason] of refused(email)) {
      const response = await t.http
        .post('/users')
        .type('form')
        .send({
          _csrf: csrfTokenIn(form.text),
          email,
          name: NAME,
          role: 'receptionist',
          therapist_id: '',
          password,
        });
      expectFieldMessage(response, 'password', reason === SHORT ? /between 12 and 256 characters/ : reason);
    }
    expect(await t.em().count(User, { email })).toBe(0);
  });

  it('page reset: shows the reason next to the field, or sets the typed password without showing it', async () => {
    const user = await priya();
    const page = await t.http.get(`/users/${user.id}`).expect(200);
    const reset = (password: string): Promise<Response> =>
      t.http
        .post(`/users/${user.id}/reset-password`)
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text), password });
    for (const [password, reason] of refused(user.email)) {
      expectFieldMessage(await reset(password), 'password', reason);
    }
    const done = await reset(STRONG);
    expect(done.status).toBe(200);
    expect(done.text).toContain('The password you typed is set.');
    expect(done.text).not.toContain(STRONG);
    const generated = await t.http
      .post(`/users/${user.id}/reset-password`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) });
    expect(generated.text).toContain('Temporary password:');
  });

  describe('own change', () => {
    const change = async (agent: TestAgent, next: string, current = TEST_PASSWORD): Promise<Response> => {
      const form = await agent.get('/account/password').expect(200);
      return agent
        .post('/account/password')
        .type('form')
        .send({
          _csrf: csrfTokenIn(form.text),
          current_password: current,
          new_password: next,
          confirm_password: next,
        });
    };

    it('refuses a weak, short or personal new password next to its field', async () => {
      const user = await priya();
      const agent = await signInAs(server(), user.email);
      for (const [password, reason] of refused(user.email)) {
        expectFieldMessage(await change(agent, password), 'new_password', reason);
      }
    });

    it('ends every other session of the user, and keeps this one (under a new id)', async () => {
      const user = await createTestUser(t.em(), 'receptionist');
      const [here, elsewhere, third] = await Promise.all([1, 2, 3].map(() => signInAs(server(), user.email)));
      if (!here || !elsewhere || !third) throw new Error('three sign-ins expected');
      expect((await change(here, STRONG)).status).toBe(303);
      await here.get('/sessions').expect(200);
      for (const other of [elsewhere, third]) {
        expect((await other.get('/sessions').expect(303)).headers.location).toMatch(/^\/login/);
      }
      await signInAs(server(), user.email, STRONG);
    });
  });

  it('an admin’s reset ends every session of the user, over the API and the page', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    const sessions = await Promise.all([1, 2].map(() => signInAs(server(), user.email)));
    await t.http.patch(`/api/users/${user.id}`).send({ reset_password: true }).expect(200);
    for (const session of sessions)
      expect((await session.get('/sessions').expect(303)).headers.location).toMatch(/^\/login/);

    await t.em().nativeUpdate(User, { id: user.id }, { mustChangePassword: false });
    await t.http.patch(`/api/users/${user.id}`).send({ reset_password: true, password: STRONG }).expect(200);
    await t.em().nativeUpdate(User, { id: user.id }, { mustChangePassword: false });
    const again = await signInAs(server(), user.email, STRONG);
    await again.get('/sessions').expect(200);
    const page = await t.http.get(`/users/${user.id}`).expect(200);
    await t.http
      .post(`/users/${user.id}/reset-password`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(200);
    expect((await again.get('/sessions').expect(303)).headers.location).toMatch(/^\/login/);
  });

  it('first start: refuses a weak ADMIN_PASSWORD when it would create the admin, in one line', async () => {
    const access = t.app.get(ConfigService).get<AccessConfig>('access');
    if (!access) throw new Error('no access configuration');
    const em = t.em();
    await em.begin();
    try {
      // No admin in this transaction: the first admin would be created now.
      await em.nativeUpdate(User, { role: 'admin' }, { role: 'receptionist' });
      const firstAdmin = (password: string) => ({
        ...access,
        firstAdmin: { email: 'boss@clinic.example', password },
      });
      await expect(
        ensureAccounts(em, firstAdmin('change-this-boss-password'), { demo: false }),
      ).rejects.toThrow(`ADMIN_PASSWORD is refused: ${PERSONAL}`);
      await expect(ensureAccounts(em, firstAdmin('password1234'), { demo: false })).rejects.toThrow(
        /^ADMIN_PASSWORD is refused: This password is too easy to guess\./,
      );
      expect(await ensureAccounts(em, firstAdmin(STRONG), { demo: false })).toEqual([
        'admin boss@clinic.example (password from ADMIN_PASSWORD)',
      ]);
    } finally {
      await em.rollback();
    }
  });
});
