import type { Server } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Clock } from '../../src/common/time/clock.js';
import { type Html, htmlOf, textsOf } from './html.js';
import { csrfTokenIn, TEST_PASSWORD } from './sign-in.js';

/**
 * The app's clock held still in the middle of a 30 s time step, moved only by the test: a code made for "now"
 * cannot cross into the next step between the test making it and the app checking it.
 */
export class SteppingClock extends Clock {
  private instant = Math.floor(Date.now() / 30_000) * 30_000 + 15_000;

  override now(): Date {
    return new Date(this.instant);
  }

  /** The next time step (or `steps` of them): a code of a step already used is a replay. */
  nextStep(steps = 1): void {
    this.instant += steps * 30_000;
  }

  advance(ms: number): void {
    this.instant += ms;
  }
}

/** The code an authenticator app shows for this secret (as the page prints it, spaces and all) at `at`. */
export function totpCode(secret: string, at: Date, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')), digits: 6, period: 30 });
  return totp.generate({ timestamp: at.getTime() + offsetSteps * 30_000 });
}

/** The password step: the answer sends to the code step, and the agent keeps the waiting session. */
export async function passwordStep(server: Server, email: string): Promise<TestAgent> {
  const agent = supertest.agent(server);
  const form = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ email, password: TEST_PASSWORD, _csrf: csrfTokenIn(form.text) })
    .expect(303)
    .expect('Location', '/login/mfa');
  return agent;
}

/** Sends a code on the code step's form (with the page's CSRF token). */
export async function codeStep(agent: TestAgent, code: string): Promise<supertest.Response> {
  const page = await agent.get('/login/mfa').expect(200);
  return agent
    .post('/login/mfa')
    .type('form')
    .send({ code, _csrf: csrfTokenIn(page.text) });
}

/** After a sign-in, the agent sends the signed-in session's CSRF token on every request, as htmx does. */
export async function withCsrf(agent: TestAgent): Promise<TestAgent> {
  agent.set('X-CSRF-Token', csrfTokenIn((await agent.get('/login').expect(200)).text));
  return agent;
}

/** Sets up two-factor sign-in on /account/mfa for the signed-in agent: the secret the page showed, and the codes. */
export async function enrol(
  agent: TestAgent,
  clock: SteppingClock,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await agent.post('/account/mfa/setup').type('form').send({}).expect(303).expect('Location', '/account/mfa');
  const $ = await accountPageOnce(agent, '.mfa-secret');
  const secret = $('.mfa-secret').text().replace(/\s/g, '');
  const confirmed = await agent
    .post('/account/mfa/confirm')
    .type('form')
    .send({ code: totpCode(secret, clock.now()) });
  if (confirmed.status !== 200) {
    throw new Error(`Enrolment refused (${confirmed.status}): ${htmlOf(confirmed)('.field-error').text()}`);
  }
  const recoveryCodes = textsOf(htmlOf(confirmed), '.recovery-codes code');
  await accountPageOnce(agent, '.badge-completed');
  // The enrolment's code used this step: the next sign-in needs the next one.
  clock.nextStep();
  return { secret, recoveryCodes };
}

/**
 * /account/mfa once it shows `selector`. A therapist's request commits its transaction (RowSecurityInterceptor)
 * just after its answer has been written, so a request sent the moment that answer arrives can still read the
 * state from before it; a browser's next click comes later. Polls for a second at most.
 */
async function accountPageOnce(agent: TestAgent, selector: string): Promise<Html> {
  for (let attempt = 0; ; attempt++) {
    const $ = htmlOf(await agent.get('/account/mfa').expect(200));
    if ($(selector).length > 0 || attempt === 40) return $;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
