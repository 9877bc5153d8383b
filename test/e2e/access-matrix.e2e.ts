import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import supertest from 'supertest';
import type { Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { issueToken } from '../../src/access/api-tokens.service.js';
import type { Role } from '../../src/access/roles.js';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import { WaitlistEntry } from '../../src/waitlist/waitlist-entry.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { createTestUser, signInAs } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Who may use each route. A route the application serves that is missing here fails the suite: a new route is
 * decided on before it ships. `public` routes answer anyone; the others list the roles they admit (admin is always
 * admitted); `scoped` marks routes whose `:id` names a therapist's record, which another therapist must not find.
 */
const EVERYONE: Role[] = ['admin', 'receptionist', 'therapist'];
const DESK: Role[] = ['admin', 'receptionist'];
const ADMIN: Role[] = ['admin'];
interface RoutePolicy {
  roles: Role[] | 'public';
  scoped?: boolean;
}
const POLICY: Record<string, RoutePolicy> = {
  'GET /health/live': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'GET /metrics': { roles: 'public' },
  'GET /login': { roles: 'public' },
  'POST /login': { roles: 'public' },
  'GET /login/oidc': { roles: 'public' },
  'GET /favicon.ico': { roles: 'public' },
  'GET /login/oidc/callback': { roles: 'public' },
  'GET /login/mfa': { roles: 'public' },
  'POST /login/mfa': { roles: 'public' },
  'GET /api/docs': { roles: 'public' },
  'GET /api/docs/': { roles: 'public' },
  'GET /api/docs/index.html': { roles: 'public' },
  'GET /api/docs/swagger-ui-init.js': { roles: 'public' },
  'GET /api/docs/docs/swagger-ui-init.js': { roles: 'public' },
  'GET /api/docs/LICENSE': { roles: 'public' },
  'GET /api/openapi.json': { roles: 'public' },
  'GET /api/openapi.yaml': { roles: 'public' },
  'POST /logout': { roles: EVERYONE },
  'GET /': { roles: EVERYONE },
  'GET /api/sessions': { roles: EVERYONE },
  'POST /api/sessions': { roles: EVERYONE },
  'POST /api/sessions/series': { roles: EVERYONE },
  'GET /api/sessions/:id': { roles: EVERYONE, scoped: true },
  'GET /api/sessions/:id/history': { roles: EVERYONE, scoped: true },
  'PATCH /api/sessions/:id': { roles: EVERYONE, scoped: true },
  'POST /api/sessions/:id/cancel': { roles: EVERYONE, scoped: true },
  'POST /api/sessions/:id/check-in': { roles: EVERYONE, scoped: true },
  'DELETE /api/sessions/:id/check-in': { roles: EVERYONE, scoped: true },
  'GET /api/therapists': { roles: EVERYONE },
  'POST /api/therapists': { roles: DESK },
  'GET /api/therapists/:id': { roles: EVERYONE, scoped: true },
  'PATCH /api/therapists/:id': { roles: DESK },
  'GET /api/therapists/:id/availability': { roles: EVERYONE, scoped: true },
  'GET /api/stats': { roles: EVERYONE },
  'GET /api/therapists/:id/working-hours': { roles: EVERYONE, scoped: true },
  'PUT /api/therapists/:id/working-hours': { roles: EVERYONE, scoped: true },
  'POST /api/therapists/:id/working-hours': { roles: EVERYONE, scoped: true },
  'PATCH /api/therapists/:id/working-hours/:intervalId': { roles: EVERYONE, scoped: true },
  'DELETE /api/therapists/:id/working-hours/:intervalId': { roles: EVERYONE, scoped: true },
  'GET /api/therapists/:id/time-off': { roles: EVERYONE, scoped: true },
  'POST /api/therapists/:id/time-off': { roles: EVERYONE, scoped: true },
  'DELETE /api/therapists/:id/time-off/:timeOffId': { roles: EVERYONE, scoped: true },
  'GET /api/closures': { roles: EVERYONE },
  'POST /api/closures': { roles: DESK },
  'DELETE /api/closures/:id': { roles: DESK },
  'GET /api/waitlist': { roles: EVERYONE },
  'POST /api/waitlist': { roles: EVERYONE },
  'GET /api/waitlist/matches': { roles: EVERYONE, scoped: true },
  'GET /api/waitlist/:id': { roles: EVERYONE, scoped: true },
  'PATCH /api/waitlist/:id': { roles: EVERYONE, scoped: true },
  'DELETE /api/waitlist/:id': { roles: EVERYONE, scoped: true },
  'POST /api/waitlist/:id/book': { roles: EVERYONE, scoped: true },
  'GET /api/patients': { roles: EVERYONE },
  'POST /api/patients': { roles: DESK },
  'GET /api/patients/:id': { roles: EVERYONE, scoped: true },
  'PATCH /api/patients/:id': { roles: DESK },
  'GET /sessions': { roles: EVERYONE },
  'GET /sessions/new': { roles: EVERYONE },
  'GET /sessions/export.csv': { roles: EVERYONE },
  'POST /sessions': { roles: EVERYONE },
  'GET /sessions/:id': { roles: EVERYONE, scoped: true },
  'POST /sessions/:id': { roles: EVERYONE, scoped: true },
  'POST /sessions/:id/cancel': { roles: EVERYONE, scoped: true },
  'POST /sessions/:id/status': { roles: EVERYONE, scoped: true },
  'POST /sessions/:id/check-in': { roles: EVERYONE, scoped: true },
  'POST /sessions/:id/check-in/undo': { roles: EVERYONE, scoped: true },
  'GET /calendar': { roles: EVERYONE },
  'GET /dashboard': { roles: EVERYONE },
  'GET /day': { roles: EVERYONE },
  'GET /therapists': { roles: EVERYONE },
  'GET /therapists/new': { roles: DESK },
  'POST /therapists': { roles: DESK },
  'GET /therapists/:id': { roles: EVERYONE, scoped: true },
  'GET /therapists/:id/edit': { roles: DESK },
  'POST /therapists/:id': { roles: DESK },
  'GET /therapists/:id/sessions': { roles: EVERYONE, scoped: true },
  'GET /therapists/:id/working-hours': { roles: EVERYONE, scoped: true },
  'POST /therapists/:id/working-hours': { roles: EVERYONE, scoped: true },
  'POST /therapists/:id/working-hours/:intervalId': { roles: EVERYONE, scoped: true },
  'POST /therapists/:id/working-hours/:intervalId/delete': { roles: EVERYONE, scoped: true },
  'GET /therapists/:id/time-off': { roles: EVERYONE, scoped: true },
  'POST /therapists/:id/time-off': { roles: EVERYONE, scoped: true },
  'GET /therapists/:id/time-off/:timeOffId': { roles: EVERYONE, scoped: true },
  'POST /therapists/:id/time-off/:timeOffId/delete': { roles: EVERYONE, scoped: true },
  'GET /closures': { roles: DESK },
  'POST /closures': { roles: DESK },
  'GET /closures/:id': { roles: DESK },
  'POST /closures/:id/delete': { roles: DESK },
  'GET /waitlist': { roles: EVERYONE },
  'POST /waitlist': { roles: EVERYONE },
  'GET /waitlist/matches': { roles: EVERYONE, scoped: true },
  'POST /waitlist/:id/remove': { roles: EVERYONE, scoped: true },
  'POST /waitlist/:id/book': { roles: EVERYONE, scoped: true },
  'GET /patients': { roles: EVERYONE },
  'GET /patients/new': { roles: DESK },
  'POST /patients': { roles: DESK },
  'GET /patients/:id': { roles: EVERYONE, scoped: true },
  'GET /patients/:id/edit': { roles: DESK },
  'POST /patients/:id': { roles: DESK },
  'GET /patients/:id/sessions': { roles: EVERYONE, scoped: true },
  'GET /account/password': { roles: EVERYONE },
  'POST /account/password': { roles: EVERYONE },
  'GET /account/sessions': { roles: EVERYONE },
  'POST /account/sessions/sign-out': { roles: EVERYONE },
  'POST /account/sessions/sign-out-others': { roles: EVERYONE },
  'GET /account/mfa': { roles: EVERYONE },
  'POST /account/mfa/setup': { roles: EVERYONE },
  'POST /account/mfa/confirm': { roles: EVERYONE },
  'POST /account/mfa/recovery-codes': { roles: EVERYONE },
  'POST /account/mfa/disable': { roles: EVERYONE },
  'GET /api/users': { roles: ADMIN },
  'POST /api/users': { roles: ADMIN },
  'GET /api/users/:id': { roles: ADMIN },
  'PATCH /api/users/:id': { roles: ADMIN },
  'GET /api/users/:id/tokens': { roles: ADMIN },
  'POST /api/users/:id/tokens': { roles: ADMIN },
  'DELETE /api/users/:id/tokens/:tokenId': { roles: ADMIN },
  'DELETE /api/users/:id/mfa': { roles: ADMIN },
  'GET /users': { roles: ADMIN },
  'GET /users/new': { roles: ADMIN },
  'POST /users': { roles: ADMIN },
  'GET /users/:id': { roles: ADMIN },
  'POST /users/:id': { roles: ADMIN },
  'POST /users/:id/disable': { roles: ADMIN },
  'POST /users/:id/enable': { roles: ADMIN },
  'POST /users/:id/reset-password': { roles: ADMIN },
  'POST /users/:id/tokens': { roles: ADMIN },
  'POST /users/:id/tokens/:tokenId/revoke': { roles: ADMIN },
  'GET /api/audit-events': { roles: ADMIN },
  'GET /admin/audit': { roles: ADMIN },
  'GET /admin/audit/export.csv': { roles: ADMIN },
  'POST /users/:id/mfa/reset': { roles: ADMIN },
};

/**
 * What each request carries: enough that an admitted principal gets past validation to the rule under test (the
 * query a route requires, a body of the right format); the other routes get an empty one of their format.
 */
const QUERIES: Record<string, string> = {
  'GET /api/therapists/:id/availability': '?from=2031-05-05&to=2031-05-06',
  // `:id` is the therapist's, as for the routes under /api/therapists/:id.
  'GET /api/waitlist/matches': '?therapist_id=:id&start=2031-05-06T09:00:00Z&end=2031-05-06T09:50:00Z',
  'GET /waitlist/matches': '?therapist_id=:id&start=2031-05-06T09:00:00Z&end=2031-05-06T09:50:00Z',
};
const BODIES: Record<string, object> = {
  'PATCH /api/sessions/:id': { notes: 'Matrix' },
  'PUT /api/therapists/:id/working-hours': { intervals: [] },
  'POST /api/sessions/:id/cancel': { reason: 'Matrix' },
  'POST /api/therapists/:id/working-hours': { weekday: 7, start: '06:00', end: '06:30' },
  'PATCH /api/therapists/:id/working-hours/:intervalId': { weekday: 7, start: '05:00', end: '05:30' },
  'POST /api/therapists/:id/time-off': {
    starts_at: '2031-08-01T00:00:00Z',
    ends_at: '2031-08-02T00:00:00Z',
    reason: 'Matrix',
  },
  'POST /api/closures': { starts_on: '2031-09-01', ends_on: '2031-09-01', name: 'Matrix' },
  // A therapist adds entries naming themself: the therapist of the `:id`s, as an admitted therapist is.
  'POST /api/waitlist': { earliest_date: '2031-05-01', latest_date: '2031-05-31' },
  'PATCH /api/waitlist/:id': { notes: 'Matrix' },
  'POST /api/waitlist/:id/book': { date: '2031-05-07T09:00:00Z' },
  'POST /sessions/:id': { notes: 'Matrix' },
  'POST /sessions/:id/cancel': { reason: 'Matrix' },
  'POST /sessions/:id/status': { status: 'Completed' },
  'POST /therapists/:id/working-hours': { weekday: '7', start: '07:00', end: '07:30' },
  'POST /therapists/:id/working-hours/:intervalId': { weekday: '7', start: '04:00', end: '04:30' },
  'POST /therapists/:id/time-off': {
    starts_at: '2031-08-10T00:00',
    ends_at: '2031-08-11T00:00',
    reason: 'Matrix',
  },
  'POST /closures': { starts_on: '2031-09-02', ends_on: '', name: 'Matrix' },
};

interface Principal {
  name: string;
  role: Role | 'anonymous';
  /** The therapist whose records the `:id`s name is someone else's. */
  stranger?: boolean;
  request: (method: string, path: string, body?: object) => Test;
  /** Signs in afresh: for a route that ends the session. */
  fresh?: () => Promise<TestAgent>;
}

/** Every route the running application serves, as `METHOD /path`, from Express's router. */
function servedRoutes(app: TestApp): string[] {
  const express: Express = app.app.getHttpAdapter().getInstance();
  const routes = new Set<string>();
  for (const layer of express.router.stack) {
    const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
    // Nest's catch-all answers 404 to any method on a path no route serves.
    if (!route || route.path === '/{*all}') continue;
    for (const method of Object.keys(route.methods)) {
      if (method !== '_all') routes.add(`${method.toUpperCase()} ${route.path}`);
    }
  }
  return [...routes].sort();
}

const isApi = (path: string): boolean => path.startsWith('/api/');

describe('route × role matrix', () => {
  let t: TestApp;
  let principals: Principal[];
  let ids: Ids;
  let routes: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    const [therapist, stranger] = [await createTherapist(em), await createTherapist(em)];
    const patient = await createPatient(em);
    const session = await createSession(em, {
      therapist,
      patient,
      startsAt: new Date('2031-05-05T09:00:00Z'),
    });
    // The user the /users routes change (disable, reset …): none of the principals.
    const target = await createTestUser(t.em(), 'receptionist');
    ids = {
      therapist: therapist.id,
      patient: patient.id,
      session: session.id,
      interval: await newInterval(t, therapist.id),
      user: target.id,
      token: (await issueToken(t.em(), target.id, 'target', null)).token.id,
      waitlist: await newWaitlistEntry(t, therapist.id, patient.id),
    };
    const server = t.app.getHttpServer();
    const accounts: { name: string; role: Role; therapistId?: number; stranger?: boolean }[] = [
      { name: 'therapist', role: 'therapist', therapistId: therapist.id },
      { name: 'another therapist', role: 'therapist', therapistId: stranger.id, stranger: true },
      { name: 'receptionist', role: 'receptionist' },
      { name: 'admin', role: 'admin' },
    ];
    principals = [
      { name: 'anonymous', role: 'anonymous', request: (m, p) => requestOf(supertest(server), m, p) },
    ];
    for (const account of accounts) {
      const user = await createTestUser(t.em(), account.role, { therapistId: account.therapistId });
      const agent = await signInAs(server, user.email);
      const { secret } = await issueToken(t.em(), user.id, 'matrix', null);
      principals.push(
        {
          name: account.name,
          role: account.role,
          stranger: account.stranger,
          request: (m, p, b) => requestOf(agent, m, p, b),
          fresh: () => signInAs(server, user.email),
        },
        {
          name: `${account.name}'s token`,
          role: account.role,
          stranger: account.stranger,
          request: (m, p, b) =>
            requestOf(supertest(server), m, p, b).set('Authorization', `Bearer ${secret}`),
        },
      );
    }
    routes = servedRoutes(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('has a decision for every route the application serves', () => {
    expect(routes.filter((route) => !(route in POLICY))).toEqual([]);
    expect(Object.keys(POLICY).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('answers each route for each principal as its policy says', async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const policy = POLICY[route];
      if (!policy) continue;
      const [method = 'GET', template = '/'] = route.split(' ');
      for (const principal of principals) {
        cells++;
        // A deleting route gets an interval of its own each time, so that one principal's delete leaves the
        // next principal something to be refused or allowed.
        const interval = template.includes(':intervalId')
          ? await newInterval(t, ids.therapist)
          : ids.interval;
        const timeOff = template.includes(':timeOffId') ? await newTimeOff(t, ids.therapist) : 0;
        const closure = template.includes('/closures/:id') ? await newClosure(t) : 0;
        const path = (template + (QUERIES[route] ?? ''))
          .replace(':intervalId', String(interval))
          .replace(':timeOffId', String(timeOff))
          .replace(':tokenId', String(ids.token))
          .replace(':id', String(idFor(template, ids, closure)));
        const expected = expectation(policy, principal, method, path);
        const request =
          route === 'POST /logout' && principal.fresh
            ? requestOf(await principal.fresh(), method, path)
            : principal.request(method, path, BODIES[route]);
        const response = await request.set('Accept', isApi(path) ? 'application/json' : 'text/html');
        const location: string = response.headers.location ?? '';
        if (!expected.accepts(response.status, location)) {
          failures.push(`${route} as ${principal.name}: ${response.status} (expected ${expected.text})`);
        }
      }
    }
    console.info(
      `Access matrix: ${routes.length} routes × ${principals.length} principals = ${cells} requests`,
    );
    expect(failures).toEqual([]);
    // Some 1 000 requests one after another: on a loaded machine they take more than the default minute.
  }, 240_000);
});

/** JSON for the API, a form for the pages, as their clients send. */
function requestOf(agent: TestAgent, method: string, path: string, body: object = {}): Test {
  const withBody = (test: Test): Test => (isApi(path) ? test.send(body) : test.type('form').send(body));
  switch (method) {
    case 'POST':
      return withBody(agent.post(path));
    case 'PATCH':
      return withBody(agent.patch(path));
    case 'PUT':
      return withBody(agent.put(path));
    case 'DELETE':
      return agent.delete(path);
    default:
      return agent.get(path);
  }
}

let intervals = 0;
/** Half an hour on a day and hour no earlier interval of the suite took, so none overlaps another. */
async function newInterval(t: TestApp, therapistId: number): Promise<number> {
  const em = t.em();
  const n = intervals++;
  const minute = 60 * (n % 23);
  const interval = em.create(WorkingHours, {
    therapist: therapistId,
    weekday: (Math.floor(n / 23) % 7) + 1,
    startMinute: minute,
    endMinute: minute + 30,
  });
  await em.flush();
  return interval.id;
}

let leaves = 0;
/** A day of time off (or of closure) no earlier one of the suite took. */
const nextFreeDay = (): Date => new Date(Date.UTC(2032, 0, 1 + leaves++));

async function newTimeOff(t: TestApp, therapistId: number): Promise<number> {
  const em = t.em();
  const startsAt = nextFreeDay();
  const timeOff = em.create(TimeOff, {
    therapist: therapistId,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3_600_000),
    reason: 'Matrix',
  });
  await em.flush();
  return timeOff.id;
}

async function newClosure(t: TestApp): Promise<number> {
  const em = t.em();
  const day = nextFreeDay().toISOString().slice(0, 10);
  const closure = em.create(Closure, { startsOn: day, endsOn: day, name: 'Matrix' });
  await em.flush();
  return closure.id;
}

async function newWaitlistEntry(t: TestApp, therapistId: number, patientId: number): Promise<number> {
  const em = t.em();
  const entry = em.create(WaitlistEntry, {
    therapist: therapistId,
    patient: patientId,
    earliestDate: '2031-05-01',
    latestDate: '2031-05-31',
  });
  await em.flush();
  return entry.id;
}

interface Ids {
  therapist: number;
  waitlist: number;
  patient: number;
  session: number;
  interval: number;
  user: number;
  token: number;
}

function idFor(template: string, ids: Ids, closure: number): number {
  if (template.includes('/closures/:id')) return closure;
  if (/^(\/api)?\/waitlist\/:id/.test(template)) return ids.waitlist;
  if (template.includes('/users/:id')) return ids.user;
  if (template.includes('/sessions/:id')) return ids.session;
  if (template.includes('/patients/:id')) return ids.patient;
  return ids.therapist;
}

interface Expectation {
  text: string;
  accepts: (status: number, location: string) => boolean;
}

function expectation(policy: RoutePolicy, principal: Principal, method: string, path: string): Expectation {
  if (policy.roles === 'public') {
    // Open to anyone; a sign-in post without its CSRF token is still refused (403), as every form post is.
    return {
      text: 'no sign-in asked for, no 5xx',
      accepts: (status, location) => status !== 401 && status < 500 && !location.startsWith('/login?next='),
    };
  }
  if (principal.role === 'anonymous') {
    return isApi(path)
      ? { text: '401', accepts: (status) => status === 401 }
      : {
          text: '303 to /login',
          accepts: (status, location) => status === 303 && location.startsWith('/login?next='),
        };
  }
  if (!policy.roles.includes(principal.role)) return { text: '403', accepts: (status) => status === 403 };
  if (policy.scoped && principal.stranger) return { text: '404', accepts: (status) => status === 404 };
  if (method === 'GET') {
    // The home page sends a browser on to the session list.
    return path === '/'
      ? { text: '302', accepts: (status) => status === 302 }
      : { text: '200', accepts: (status) => status === 200 };
  }
  return {
    text: 'admitted: not 401/403/404/5xx',
    accepts: (status) => ![401, 403, 404].includes(status) && status < 500,
  };
}
