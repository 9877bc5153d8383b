import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createAccount } from '../../src/access/accounts.js';
import type { Role } from '../../src/access/roles.js';
import type { User } from '../../src/access/user.entity.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/** The CSRF token a page carries in its forms (the same one htmx sends as a header). */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`No CSRF token in the page:\n${html.slice(0, 500)}`);
  return token;
}

/** A new account; e-mails are unique per call, so apps sharing a database can each make their own. */
export function createTestUser(
  em: EntityManager,
  role: Role,
  options: { therapistId?: number; name?: string; password?: string } = {},
): Promise<User> {
  return createAccount(em, {
    email: `${role}-${randomBytes(4).toString('hex')}@staff.example`,
    name: options.name ?? `Test ${role}`,
    role,
    password: options.password ?? TEST_PASSWORD,
    therapistId: options.therapistId ?? null,
  });
}

/**
 * Signs in through the sign-in form as a browser does, and returns an agent that keeps the session cookie and
 * sends the session's CSRF token on every request, as the pages' htmx does.
 */
export async function signInAs(server: Server, email: string, password = TEST_PASSWORD): Promise<TestAgent> {
  const agent = supertest.agent(server);
  const form = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfTokenIn(form.text) })
    .expect(303);
  const signedIn = await agent.get('/login').expect(200);
  agent.set('X-CSRF-Token', csrfTokenIn(signedIn.text));
  return agent;
}
