// Throughput and latency of the busiest reads and of booking, against a seeded database, in one process:
//   npm run bench:api            (embedded PostgreSQL in .data/bench-pg, or DATABASE_URL)
// Prints requests/s, p50/p99 latency and the server's resident memory after each run.
import 'reflect-metadata';
import autocannon from 'autocannon';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/postgresql';
import { createAccount } from '../src/access/accounts.js';
import { issueToken } from '../src/access/api-tokens.service.js';
import { User } from '../src/access/user.entity.js';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { loadAppConfig } from '../src/config/app-config.js';
import {
  migrate,
  resolveDatabase,
  seedDemoDataIntoEmptyDatabase,
} from '../src/database/database-bootstrap.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;

const config = loadAppConfig({
  ...process.env,
  EMBEDDED_DATABASE_DIR: process.env.EMBEDDED_DATABASE_DIR ?? '.data/bench-pg',
  EMBEDDED_DATABASE_PORT: process.env.EMBEDDED_DATABASE_PORT ?? '54388',
  LOG_LEVEL: 'error',
  // The load is one token's: the per-token API limit would measure itself.
  API_REQUESTS_PER_MINUTE: process.env.API_REQUESTS_PER_MINUTE ?? '1000000',
});
const database = await resolveDatabase(config, () => undefined);
const app = await NestFactory.create<NestExpressApplication>(
  AppModule.forRoot({ config, databaseUrl: database.url }),
  {
    bodyParser: false,
    logger: ['error'],
  },
);
await configureApp(app, config);
const orm = app.get<MikroORM>(MikroORM);
await migrate(orm);
await seedDemoDataIntoEmptyDatabase(orm, config);
await app.listen(0, '127.0.0.1');

/** A token of a user of the role, made for this run (a therapist's is therapist 1's); the load sends it. */
async function tokenOf(role: 'receptionist' | 'therapist'): Promise<string> {
  const em = orm.em.fork();
  const existing = await em.findOne(User, role === 'therapist' ? { therapist: 1 } : { role });
  const user =
    existing ??
    (await createAccount(em, {
      email: `bench-${role}@clinic.example`,
      name: `Bench ${role}`,
      role,
      password: `bench-${role}-${process.pid}-password`,
      therapistId: role === 'therapist' ? 1 : null,
    }));
  return (await issueToken(em, user.id, 'bench', null)).secret;
}
const tokens = { receptionist: await tokenOf('receptionist'), therapist: await tokenOf('therapist') };
const base = await app.getUrl();

interface Scenario {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: () => string;
  /** Concurrent connections, when not CONNECTIONS. */
  connections?: number;
  /** Whose token the load sends: the receptionist's unless named. */
  as?: keyof typeof tokens;
}

// A fresh run of past hours each time, so bookings from an earlier run never overlap these.
let booking = Math.floor(Date.now() / 1000) % 40_000;
const scenarios: Scenario[] = [
  { name: 'GET /api/sessions (first page)', path: '/api/sessions' },
  {
    name: 'GET /api/sessions?q=&status=&sort=patient',
    path: '/api/sessions?q=an&status=Scheduled&sort=patient&order=desc',
  },
  // Row-level security's cost: the same rows (therapist 1's), once as the front desk filtering by therapist and
  // once as that therapist, whose requests run in a transaction under the RLS role.
  { name: 'GET /api/sessions?therapist_id=1 (reception, no RLS)', path: '/api/sessions?therapist_id=1' },
  { name: 'GET /api/sessions (therapist 1, RLS)', path: '/api/sessions', as: 'therapist' },
  { name: 'GET /api/sessions/{id}', path: '/api/sessions/1' },
  { name: 'GET /sessions (full HTML page)', path: '/sessions' },
  { name: 'GET /sessions (htmx fragment)', path: '/sessions?page=3' },
  { name: 'GET /calendar?therapist_id=1', path: '/calendar?therapist_id=1' },
  {
    name: 'POST /api/sessions (backfill, distinct times)',
    path: '/api/sessions',
    method: 'POST',
    // Each request books another hour in the past (2015–2019) for therapist 1 and patient 1, so none overlaps.
    body: () => {
      booking++;
      return JSON.stringify({
        therapist_id: 1,
        patient_id: 1,
        date: new Date(Date.UTC(2015, 0, 1) + booking * 3_600_000).toISOString(),
      });
    },
  },
  // Overload: far more clients than DATABASE_POOL_MAX connections; the statuses show what is shed (503).
  { name: 'GET /api/therapists (200 connections)', path: '/api/therapists', connections: 200 },
];

console.log(`${DURATION_SECONDS}s per scenario, ${CONNECTIONS} connections unless named, ${base}`);
// BENCH_ONLY=RLS runs only the scenarios whose name contains it (here: the row-level-security pair).
const only = process.env.BENCH_ONLY;
for (const scenario of scenarios.filter(({ name }) => !only || name.includes(only))) {
  const result = await autocannon({
    url: `${base}${scenario.path}`,
    connections: scenario.connections ?? CONNECTIONS,
    duration: DURATION_SECONDS,
    method: scenario.method ?? 'GET',
    headers: {
      authorization: `Bearer ${tokens[scenario.as ?? 'receptionist']}`,
      'content-type': 'application/json',
      ...(scenario.name.includes('htmx') ? { 'HX-Request': 'true' } : {}),
    },
    requests: scenario.body
      ? [{ setupRequest: (request) => ({ ...request, body: scenario.body?.() }) }]
      : undefined,
  });
  const errors = result.non2xx + result.errors;
  const rss = Math.round(process.memoryUsage().rss / 1_048_576);
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([status, { count }]) => `${String(count ?? 0)} × ${status}`)
    .join(', ');
  console.log(
    `${scenario.name.padEnd(48)} ${String(Math.round(result.requests.average)).padStart(6)} req/s  ` +
      `p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(4)} ms  ` +
      `non-2xx ${errors}  rss ${rss} MB` +
      (errors > 0 || scenario.connections
        ? `  (${statuses}${result.errors > 0 ? `, ${result.errors} errors` : ''})`
        : ''),
  );
}

await app.close();
await database.stop();
