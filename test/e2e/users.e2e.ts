import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { User } from '../../src/access/user.entity.js';
import { createTherapist } from '../utils/factories.js';
import { csrfTokenIn, signInAs, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface UserBody {
  id: number;
  email: string;
  role: string;
  disabled: boolean;
  must_change_password: boolean;
  temporary_password?: string;
}
const userOf = (response: { body: unknown }): UserBody => response.body as UserBody;
const NEW_PASSWORD = 'a freshly minted passphrase';

describe('user administration', () => {
  let t: TestApp;
  const server = (): Server => t.app.getHttpServer();

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const create = (body: object): supertest.Test => t.http.post('/api/users').send(body);
  const createReceptionist = (email: string, name: string): supertest.Test =>
    create({ email, name, role: 'receptionist', password: TEST_PASSWORD }).expect(201);

  it('creates users (e-mail lower-cased, temporary first password), lists and reads them', async () => {
    const created = await create({
      email: 'Nina@Clinic.Example',
      name: 'Nina Desk',
      role: 'receptionist',
      password: TEST_PASSWORD,
    }).expect(201);
    const user = userOf(created);
    expect(user).toMatchObject({
      email: 'nina@clinic.example',
      role: 'receptionist',
      must_change_password: true,
    });
    expect(created.headers.location).toBe(`/api/users/${user.id}`);
    expect(JSON.stringify(created.body)).not.toMatch(/password_hash|argon2/);
    const list = await t.http.get('/api/users').expect(200);
    expect((list.body as { data: UserBody[] }).data.map((u) => u.id)).toContain(user.id);
    await t.http.get(`/api/users/${user.id}`).expect(200);
    await t.http.get('/api/users/999999').expect(404);
  });

  it('refuses bad input with every field named, a taken e-mail and a mismatched therapist', async () => {
    const bad = await create({ email: 'x', name: '', role: 'boss', password: 'short' }).expect(400);
    const fields = (bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'name', 'password', 'role']);
    await create({ email: 'dup@clinic.example', name: 'A', role: 'admin', password: TEST_PASSWORD }).expect(
      201,
    );
    const taken = await create({
      email: 'DUP@clinic.example',
      name: 'B',
      role: 'admin',
      password: TEST_PASSWORD,
    });
    expect(taken.status).toBe(409);
    const noTherapist = await create({
      email: 'thera@clinic.example',
      name: 'T',
      role: 'therapist',
      password: TEST_PASSWORD,
    }).expect(400);
    expect(noTherapist.body).toMatchObject({ errors: [{ field: 'therapist_id' }] });
  });

  it('sends a user with a temporary password to choose their own before anything else', async () => {
    const therapist = await createTherapist(t.em());
    const { id } = userOf(
      await create({
        email: 'new.therapist@clinic.example',
        name: 'New Therapist',
        role: 'therapist',
        therapist_id: therapist.id,
        password: TEST_PASSWORD,
      }).expect(201),
    );
    const agent = supertest.agent(server());
    const form = await agent.get('/login').expect(200);
    const signIn = await agent
      .post('/login')
      .type('form')
      .send({ email: 'new.therapist@clinic.example', password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) })
      .expect(303);
    expect(signIn.headers.location).toBe('/account/password');
    const page = await agent.get('/sessions').expect(303);
    expect(page.headers.location).toBe('/account/password');
    const passwordPage = await agent.get('/account/password').expect(200);
    const csrf = csrfTokenIn(passwordPage.text);
    const api = await agent.get('/api/sessions').set('X-CSRF-Token', csrf).expect(403);
    expect(api.body).toMatchObject({ type: '/problems/password-change-required' });
    const mismatch = await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: csrf,
        current_password: TEST_PASSWORD,
        new_password: NEW_PASSWORD,
        confirm_password: 'x',
      })
      .expect(400);
    expect(mismatch.text).toContain('The two new passwords differ.');
    await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: csrf,
        current_password: TEST_PASSWORD,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      })
      .expect(303);
    await agent.get('/sessions').expect(200);
    expect(userOf(await t.http.get(`/api/users/${id}`).expect(200)).must_change_password).toBe(false);
  });

  it('disabling a user ends their sessions and their tokens at once; enabling lets them sign in again', async () => {
    const { id, email } = userOf(await createReceptionist('leaver@clinic.example', 'Leaver'));
    await t.em().nativeUpdate(User, { id }, { mustChangePassword: false });
    const browser = await signInAs(server(), email);
    await browser.get('/api/sessions').expect(200);
    const token = await t.http.post(`/api/users/${id}/tokens`).send({ name: 'Script' }).expect(201);
    const secret = (token.body as { token: string }).token;
    await t.anonymous.get('/api/sessions').set('Authorization', `Bearer ${secret}`).expect(200);

    await t.http.patch(`/api/users/${id}`).send({ disabled: true }).expect(200);
    await browser.get('/api/sessions').expect(401);
    await t.anonymous.get('/api/sessions').set('Authorization', `Bearer ${secret}`).expect(401);
    const tokens = await t.http.get(`/api/users/${id}/tokens`).expect(200);
    expect((tokens.body as { data: { revoked_at: string | null }[] }).data[0]?.revoked_at).not.toBeNull();

    await t.http.patch(`/api/users/${id}`).send({ disabled: false }).expect(200);
    await signInAs(server(), email);
  });

  it('issues, lists and revokes tokens; the token is shown once and never listed', async () => {
    const { id } = userOf(await createReceptionist('bot@clinic.example', 'Billing Bot'));
    const past = await t.http
      .post(`/api/users/${id}/tokens`)
      .send({ name: 'Old', expires_at: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body).toMatchObject({ errors: [{ field: 'expires_at' }] });
    const issued = await t.http
      .post(`/api/users/${id}/tokens`)
      .send({ name: 'Billing', expires_at: '2035-01-01T00:00:00Z' })
      .expect(201);
    const { token, id: tokenId } = issued.body as { token: string; id: number };
    // A secret is never kept by a cache on the way.
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(token).toMatch(/^tsm_/);
    const listed = await t.http.get(`/api/users/${id}/tokens`).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    await t.http.delete(`/api/users/${id}/tokens/${tokenId}`).expect(204);
    await t.anonymous.get('/api/sessions').set('Authorization', `Bearer ${token}`).expect(401);
    await t.http.delete(`/api/users/${id}/tokens/999999`).expect(404);
  });

  it('resets a password: a temporary one answered once, which must be changed at sign-in', async () => {
    const { id, email } = userOf(await createReceptionist('forgot@clinic.example', 'Forgetful'));
    const reset = userOf(await t.http.patch(`/api/users/${id}`).send({ reset_password: true }).expect(200));
    expect(reset.temporary_password).toEqual(expect.any(String));
    expect(reset.must_change_password).toBe(true);
    const again = userOf(await t.http.get(`/api/users/${id}`).expect(200));
    expect(again.temporary_password).toBeUndefined();
    const agent = supertest.agent(server());
    const form = await agent.get('/login');
    const signIn = await agent
      .post('/login')
      .type('form')
      .send({ email, password: reset.temporary_password, _csrf: csrfTokenIn(form.text) })
      .expect(303);
    expect(signIn.headers.location).toBe('/account/password');
  });

  it('never leaves the practice without an enabled admin', async () => {
    const listed = (await t.http.get('/api/users').expect(200)).body as { data: UserBody[] };
    // The suite's own admin, the one `t.http` is signed in as (made by createTestApp: admin-…@staff.example).
    const self = listed.data.find((u) => u.role === 'admin' && u.email.startsWith('admin-'))?.id ?? 0;
    const admins = await t.em().execute<{ id: number }[]>(`select id from staff_user where role = 'admin'`);
    // Every other admin made by this suite is demoted first, so this one is the last.
    for (const { id } of admins) {
      if (id !== self) await t.http.patch(`/api/users/${id}`).send({ role: 'receptionist' }).expect(200);
    }
    const refused = await t.http.patch(`/api/users/${self}`).send({ disabled: true }).expect(409);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('only enabled admin') });
  });

  it('admin pages: create a user, issue a token shown once, and revoke it', async () => {
    const form = await t.http.get('/users/new').expect(200);
    const created = await t.http
      .post('/users')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        email: 'page.user@clinic.example',
        name: 'Page User',
        role: 'receptionist',
        therapist_id: '',
        password: TEST_PASSWORD,
      })
      .expect(303);
    const page = await t.http.get(created.headers.location as string).expect(200);
    expect(page.text).toContain('Page User');
    const issued = await t.http
      .post(`${created.headers.location as string}/tokens`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), name: 'Page token', expires_at: '' })
      .expect(200);
    const token = /<code class="token">(tsm_[^<]+)<\/code>/.exec(issued.text)?.[1];
    expect(token).toBeDefined();
    await t.anonymous
      .get('/api/sessions')
      .set('Authorization', `Bearer ${token ?? ''}`)
      .expect(200);
    const shownAgain = await t.http.get(created.headers.location as string).expect(200);
    expect(shownAgain.text).not.toContain(token ?? 'never');
    const invalid = await t.http
      .post('/users')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), email: 'nope', name: '', role: 'receptionist', password: 'x' })
      .expect(400);
    expect(invalid.text).toContain("id='email-error'");
    expect(invalid.text).toContain("id='password-error'");
    const list = await t.http.get('/users').expect(200);
    expect(list.text).toContain('page.user@clinic.example');
  });
});
