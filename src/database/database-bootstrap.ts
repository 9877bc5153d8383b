import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { describeDatabaseError, isDatabaseOutage } from '../common/problems/database-problems.js';
import { StartupError } from '../common/startup-error.js';
import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import type { DemoDataSummary } from './seed/demo-data.js';

export const EMBEDDED_DATABASE_NAME = 'therapy_sessions';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL, with its data kept in EMBEDDED_DATABASE_DIR. */
export async function resolveDatabase(
  config: AppConfig,
  log: (line: string) => void,
  /** main.ts stops the embedded server itself, after the HTTP drain: requests in flight still need it. */
  { stopOnSignals = true }: { stopOnSignals?: boolean } = {},
): Promise<ResolvedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  const server = await startEmbeddedPostgres({
    dataDir: config.embeddedDatabaseDir,
    port: config.embeddedDatabasePort,
    database: EMBEDDED_DATABASE_NAME,
    log,
    stopOnSignals,
  });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}

/** Applies pending migrations; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}

/** Loaded only to seed: the demo's names come from faker, 17 MB of heap a running app does not need. */
export async function seedDemoDataIntoEmptyDatabase(
  orm: MikroORM,
  config: AppConfig,
): Promise<DemoDataSummary | undefined> {
  const { DEFAULT_DEMO_DATA, seedDemoDataIfEmpty } = await import('./seed/demo-data.js');
  return seedDemoDataIfEmpty(orm.em.fork(), { ...DEFAULT_DEMO_DATA, timeZone: config.clinicTimezone });
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Backoff between attempts: doubling from 250 ms, at most 5 s apart. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

export interface WaitOptions {
  seconds: number;
  connectTimeoutMs: number;
  log: (line: string) => void;
}

/**
 * Waits until PostgreSQL accepts a connection, retrying with backoff for up to `seconds`, as a database started
 * alongside the app (compose, a restarted host) may come up later than it. Only an outage is waited for: a wrong
 * password or a missing database will not fix itself, so that fails at once. The log names host and port only.
 */
export async function waitForDatabase(
  url: string,
  { seconds, connectTimeoutMs, log }: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  const where = hostAndPort(url);
  for (let attempt = 1, delay = FIRST_RETRY_MS; ; attempt++, delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
    // A connection dropped after connect() must not become an unhandled 'error' event that ends the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (!isDatabaseOutage(error)) {
        throw new StartupError(
          `PostgreSQL at ${where} refused the connection: ${describeDatabaseError(error)}`,
        );
      }
      if (Date.now() + delay > deadline) {
        throw new StartupError(
          `PostgreSQL at ${where} did not answer within ${seconds} s (${describeDatabaseError(error)}); ` +
            'start it, check DATABASE_URL, or raise DATABASE_WAIT_SECONDS.',
        );
      }
      log(`waiting for PostgreSQL at ${where} (attempt ${attempt}): ${describeDatabaseError(error)}`);
      await sleep(delay);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function hostAndPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
