import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { pino, type Logger } from 'pino';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { DrainingExpressAdapter } from '../../src/common/http/http-server.js';
import type { AccessConfig } from '../../src/config/access-config.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { Clock } from '../../src/common/time/clock.js';
import { issueToken } from '../../src/access/api-tokens.service.js';
import type { Role } from '../../src/access/roles.js';
import { PinoNestLogger } from '../../src/observability/logger.js';
import {
  adminUrl,
  databaseUrl,
  ensureTemplateDatabase,
  withAdminClient,
} from '../setup/test-database-server.js';
import { createTestUser, signInAs } from './sign-in.js';

/** The apps of one test share it, so two instances on one database accept each other's sessions. */
const TEST_SESSION_SECRET = 'test-session-secret-that-is-long-enough';

export interface TestApp {
  app: NestExpressApplication;
  /** Base URL once `listen()` has been called (browser suites). */
  listen(): Promise<string>;
  /** Signed in as an admin of this app (cookie and CSRF token), through the sign-in form. */
  http: TestAgent;
  /** An API token of this app's admin, for raw HTTP clients: `Authorization: Bearer <token>`. */
  adminToken: string;
  /** No cookie, no token. */
  anonymous: TestAgent;
  /** Another agent, signed in as a new user of this role (a therapist user needs its therapist). */
  signIn(role: Role, options?: { therapistId?: number }): Promise<TestAgent>;
  orm: MikroORM;
  /** A fresh entity manager for arranging data and asserting on the database directly. */
  em(): EntityManager;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `therapy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = adminUrl();
  const template = await ensureTemplateDatabase();
  await withAdminClient(admin, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: databaseUrl(admin, name),
    drop: async () => {
      await withAdminClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export interface TestAppOptions {
  /** The URL the app connects with, e.g. through a proxy the test can cut; the database is set up directly. */
  connectThrough?: (databaseUrl: string) => string;
  /** The app's logger (e.g. writing to a stream the test reads); by default request lines are not logged. */
  logger?: Logger;
  /**
   * Another app's database (`t.databaseUrl`), for a second instance on the same PostgreSQL: it is left for its
   * owner to drop.
   */
  shareDatabaseOf?: string;
  /** The app's clock, e.g. one the test moves past a session's idle or absolute lifetime. */
  clock?: Clock;
  /** Settings no variable sets, e.g. a rate-limit window shorter than a minute. */
  access?: Partial<AccessConfig>;
}

/** Boots the real application (same module and HTTP setup as main.ts) on a database of its own. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = options.shareDatabaseOf
    ? { url: options.shareDatabaseOf, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const loaded = loadAppConfig({
    CLINIC_TIMEZONE: 'UTC',
    SEED_DEMO_DATA: 'false',
    SESSION_SECRET: TEST_SESSION_SECRET,
    // The suites book on fixed dates (2025 for the past, 2031–2033 for the future) that must not age out of
    // the booking window; booking-window.api.e2e.ts tests the documented defaults.
    BACKFILL_DAYS: '36500',
    BOOKING_HORIZON_YEARS: '100',
    ...env,
    NODE_ENV: 'test',
  });
  const config = { ...loaded, access: { ...loaded.access, ...options.access } };
  const appDatabaseUrl = options.connectThrough?.(database.url) ?? database.url;
  const builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config,
        databaseUrl: appDatabaseUrl,
        // 20 connections unless the test sets DATABASE_POOL_MAX itself (an explicit poolMax would override it).
        orm: { preferTs: true, ...(env.DATABASE_POOL_MAX === undefined ? { poolMax: 20 } : {}) },
        logger: options.logger ?? pino({ level: 'silent' }),
      }),
    ],
  });
  if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new DrainingExpressAdapter(config), {
    bodyParser: false,
    logger: options.logger ? new PinoNestLogger(options.logger) : ['error', 'fatal'],
  });
  await configureApp(app, config);
  await app.init();
  const orm = app.get<MikroORM>(MikroORM);
  const server = app.getHttpServer();
  const signIn = async (role: Role, options: { therapistId?: number } = {}): Promise<TestAgent> =>
    signInAs(server, (await createTestUser(orm.em.fork(), role, options)).email);
  const admin = await createTestUser(orm.em.fork(), 'admin');
  const { secret: adminToken } = await issueToken(orm.em.fork(), admin.id, 'test', null);
  return {
    app,
    http: await signInAs(server, admin.email),
    adminToken,
    anonymous: supertest(server),
    signIn,
    orm,
    em: () => orm.em.fork(),
    databaseUrl: database.url,
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      return app.getUrl();
    },
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
