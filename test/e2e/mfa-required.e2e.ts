import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { issueToken } from '../../src/access/api-tokens.service.js';
import { createTherapist } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { problemOf } from '../utils/http.js';
import { codeStep, enrol, passwordStep, SteppingClock, totpCode, withCsrf } from '../utils/mfa.js';
import { createTestUser, csrfTokenIn, signInAs, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

// The rest of two-factor sign-in (enrolment, codes, recovery codes, limits, the admin's reset): mfa.e2e.ts.
describe('two-factor sign-in required (MFA_REQUIRED=true)', () => {
  let t: TestApp;
  const clock = new SteppingClock();
  const server = (): Server => t.app.getHttpServer();

  beforeAll(async () => {
    t = await createTestApp({ MFA_REQUIRED: 'true' }, { clock });
  });

  afterAll(async () => {
    await t.close();
  });

  it('holds a therapist on the enrolment page after the password step until it is on; tokens are unaffected', async () => {
    const therapist = await createTherapist(t.em());
    const user = await createTestUser(t.em(), 'therapist', { therapistId: therapist.id });
    const agent = supertest.agent(server());
    const form = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) })
      .expect(303)
      .expect('Location', '/account/mfa');
    await withCsrf(agent);
    await agent.get('/sessions').expect(303).expect('Location', '/account/mfa');
    await agent.get('/account/password').expect(303).expect('Location', '/account/mfa');
    const api = problemOf(await agent.get('/api/sessions'), 403);
    expect(api.type).toBe('/problems/mfa-enrolment-required');
    const page = htmlOf(await agent.get('/account/mfa').expect(200));
    expect(page('[role=status]').text()).toMatch(/Your role requires two-factor sign-in/);
    const { secret: token } = await issueToken(t.em(), user.id, 'integration', null);
    await t.anonymous.get('/api/sessions').set('Authorization', `Bearer ${token}`).expect(200);

    const { secret } = await enrol(agent, clock);
    await agent.get('/sessions').expect(200);
    // Required for the role: it cannot be turned off, only reset by an admin.
    const off = await agent
      .post('/account/mfa/disable')
      .type('form')
      .send({ code: totpCode(secret, clock.now()) })
      .expect(403);
    expect(off.text).toMatch(/required for your role/);
    await agent.post('/logout').expect(303);
    const next = await passwordStep(server(), user.email);
    expect((await codeStep(next, totpCode(secret, clock.now()))).status).toBe(303);
  });

  it('leaves receptionists free to sign in without it, and holds an admin the same as a therapist', async () => {
    const desk = await createTestUser(t.em(), 'receptionist');
    const signedIn: TestAgent = await signInAs(server(), desk.email);
    await signedIn.get('/sessions').expect(200);
    const admin = await createTestUser(t.em(), 'admin');
    const held = await signInAs(server(), admin.email);
    await held.get('/users').expect(303).expect('Location', '/account/mfa');
    // The suite's own admin token still works: a token is its own factor.
    await t.anonymous.get('/api/users').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
  });
});
