// The audit trail at a million events: fills `audit_event` up to AUDIT_EVENTS (1 000 000) rows once, then measures
// the admin's reads of it, as an admin's API token sends them:
//   npm run bench:audit            (embedded PostgreSQL in .data/bench-pg, or DATABASE_URL)
// Prints requests/s and p50/p99 for each filter, and the plan PostgreSQL chose for it.
import 'reflect-metadata';
import autocannon from 'autocannon';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/postgresql';
import { createAccount } from '../src/access/accounts.js';
import { issueToken } from '../src/access/api-tokens.service.js';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { AUDIT_ACTIONS } from '../src/audit/audit-actions.js';
import { loadAppConfig } from '../src/config/app-config.js';
import {
  migrate,
  resolveDatabase,
  seedDemoDataIntoEmptyDatabase,
} from '../src/database/database-bootstrap.js';

const EVENTS = Number(process.env.AUDIT_EVENTS ?? 1_000_000);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const BATCH = 50_000;

const config = loadAppConfig({
  ...process.env,
  EMBEDDED_DATABASE_DIR: process.env.EMBEDDED_DATABASE_DIR ?? '.data/bench-pg',
  EMBEDDED_DATABASE_PORT: process.env.EMBEDDED_DATABASE_PORT ?? '54388',
  LOG_LEVEL: 'error',
  API_REQUESTS_PER_MINUTE: '1000000',
});
const database = await resolveDatabase(config, () => undefined);
const app = await NestFactory.create<NestExpressApplication>(
  AppModule.forRoot({ config, databaseUrl: database.url }),
  { bodyParser: false, logger: ['error'] },
);
await configureApp(app, config);
const orm = app.get<MikroORM>(MikroORM);
await migrate(orm);
await seedDemoDataIntoEmptyDatabase(orm, config);
const em = orm.em.fork();

const [{ count } = { count: '0' }] = await em.execute<{ count: string }[]>(
  'select count(*) from audit_event',
);
const missing = EVENTS - Number(count);
if (missing > 0) {
  const started = Date.now();
  // Two years of traces from 40 staff over 20 000 patients; in batches, each within the app's statement timeout.
  for (let done = 0; done < missing; done += BATCH) {
    await em.execute(
      `insert into audit_event (occurred_at, actor_user_id, action, record_type, record_id, patient_id, outcome, detail, ip, user_agent, request_id)
     select now() - (random() * interval '730 days'),
            1 + (i % 40),
            (?::text[])[1 + (i % ?)],
            'patient', 1 + (i % 20000), 1 + ((i::bigint * 7919) % 20000)::int,
            case when i % 50 = 0 then 'failure' else 'success' end,
            '{"fields": ["phone"]}', '10.0.0.1', 'bench', md5(i::text)
     from generate_series(?::int, ?::int) as i`,
      [`{${AUDIT_ACTIONS.join(',')}}`, AUDIT_ACTIONS.length, done + 1, Math.min(missing, done + BATCH)],
    );
  }
  await em.execute('analyze audit_event');
  console.log(`Added ${missing} audit events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const admin = await createAccount(em, {
  email: `bench-admin-${process.pid}@clinic.example`,
  name: 'Bench admin',
  role: 'admin',
  password: `bench-admin-${process.pid}-password`,
  therapistId: null,
});
const token = (await issueToken(em, admin.id, 'bench', null)).secret;
await app.listen(0, '127.0.0.1');
const base = await app.getUrl();

const [deep] = await em.execute<{ id: string }[]>(
  'select id from audit_event order by occurred_at desc, id desc offset 50000 limit 1',
);
const scenarios: { name: string; path: string; htmx?: boolean }[] = [
  { name: 'newest 50', path: '/api/audit-events' },
  { name: 'one patient', path: '/api/audit-events?patient_id=4242' },
  { name: 'one user', path: '/api/audit-events?user_id=7' },
  { name: 'one action', path: '/api/audit-events?action=patient.read' },
  { name: 'a month', path: '/api/audit-events?from=2026-06-01&to=2026-06-30' },
  { name: 'patient + month', path: '/api/audit-events?patient_id=4242&from=2025-06-01&to=2026-06-30' },
  { name: '1 000th page (cursor)', path: `/api/audit-events?cursor=${deep?.id ?? 1}` },
  { name: '/admin/audit page', path: '/admin/audit' },
  { name: '/admin/audit fragment, patient', path: '/admin/audit?patient_id=4242', htmx: true },
];

console.log(`${EVENTS} events, ${DURATION_SECONDS}s per scenario, ${CONNECTIONS} connections, ${base}`);
for (const scenario of scenarios) {
  const result = await autocannon({
    url: `${base}${scenario.path}`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${token}`, ...(scenario.htmx ? { 'HX-Request': 'true' } : {}) },
  });
  console.log(
    `${scenario.name.padEnd(34)} ${String(Math.round(result.requests.average)).padStart(6)} req/s  ` +
      `p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(4)} ms  ` +
      `non-2xx ${result.non2xx + result.errors}`,
  );
}

await app.close();
await database.stop();
