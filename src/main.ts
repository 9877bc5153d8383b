import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureAccounts } from './access/accounts.js';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { DrainingExpressAdapter } from './common/http/http-server.js';
import { shutDownOnSignals } from './common/shut-down-on-signals.js';
import { StartupError } from './common/startup-error.js';
import { loadAppConfig } from './config/app-config.js';
import {
  migrate,
  redactUrl,
  resolveDatabase,
  seedDemoDataIntoEmptyDatabase,
  type ResolvedDatabase,
  waitForDatabase,
} from './database/database-bootstrap.js';
import { createRootLogger, PinoNestLogger } from './observability/logger.js';
import { API_DOCS_PATH } from './openapi/openapi.js';

const logger = new Logger('Bootstrap');
let database: ResolvedDatabase | undefined;
let app: NestExpressApplication | undefined;

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env);
  if (config.nodeEnv === 'production' && config.access.sessionSecretGenerated) {
    // The command-line tools need no secret; a server in production must share one with its peers.
    throw new StartupError(
      'SESSION_SECRET is required in production: at least 32 random characters, the same on every instance.',
    );
  }
  // One logger from the first line on: these bootstrap lines, Nest's own, and the app's (AppModule below).
  const rootLogger = createRootLogger(config.logLevel);
  Logger.overrideLogger(new PinoNestLogger(rootLogger));
  shutDownOnSignals(() => ({ app, database }));
  database = await resolveDatabase(
    config,
    (line) => {
      logger.log(line);
    },
    { stopOnSignals: false },
  );
  logger.log(`Database: ${redactUrl(database.url)}${database.embedded ? ' (embedded)' : ''}`);
  await waitForDatabase(database.url, {
    seconds: config.databaseWaitSeconds,
    connectTimeoutMs: config.database.connectTimeoutMs,
    log: (line) => {
      logger.warn(line);
    },
  });

  app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, databaseUrl: database.url, logger: rootLogger }),
    new DrainingExpressAdapter(config),
    { bodyParser: false, logger: new PinoNestLogger(rootLogger) },
  );
  await configureApp(app, config);

  const orm = app.get<MikroORM>(MikroORM);
  if (config.migrateOnStart) {
    const applied = await migrate(orm);
    logger.log(
      applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date',
    );
  }
  if (config.seedDemoData) {
    const seeded = await seedDemoDataIntoEmptyDatabase(orm, config);
    if (seeded)
      logger.log(
        `Seeded demo data: ${seeded.therapists} therapists, ${seeded.patients} patients, ${seeded.sessions} sessions`,
      );
  }

  // Only when there is an account to create: an operator who migrates separately may start before migrating.
  if (config.access.firstAdmin || config.seedDemoData) {
    for (const line of await ensureAccounts(orm.em.fork(), config.access, { demo: config.seedDemoData })) {
      logger.log(`Created account: ${line}`);
    }
  }
  if (config.access.sessionSecretGenerated) {
    logger.warn('SESSION_SECRET is not set: sign-ins end when the app restarts (set it in production).');
  }

  await app.init();
  await listen(app, config.port, config.host);
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  logger.log(`Staff pages: ${base}/sessions (sign in at ${base}/login)`);
  logger.log(`API docs:    ${base}/${API_DOCS_PATH}`);
}

bootstrap().catch(async (error: unknown) => {
  if (error instanceof StartupError) {
    console.error(error.message);
  } else if (isAddressInUse(error)) {
    console.error(`Port ${error.port} is already in use: stop the other process or set PORT to a free port.`);
  } else {
    console.error('Failed to start:', error);
  }
  await database?.stop();
  process.exit(1);
});

/** Like app.listen(), but leaves reporting a failure (e.g. a port in use) to the caller: one line, no stack. */
function listen(app: NestExpressApplication, port: number, host: string): Promise<void> {
  const server = app.getHttpServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function isAddressInUse(error: unknown): error is NodeJS.ErrnoException & { port: number } {
  return error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
}
