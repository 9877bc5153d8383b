import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { DEFAULT_DEMO_DATA, seedDemoDataIfEmpty, type DemoDataSummary } from './seed/demo-data.js';

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
): Promise<ResolvedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  const server = await startEmbeddedPostgres({
    dataDir: config.embeddedDatabaseDir,
    port: config.embeddedDatabasePort,
    database: EMBEDDED_DATABASE_NAME,
    log,
  });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}

/** Applies pending migrations; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}

export function seedDemoDataIntoEmptyDatabase(
  orm: MikroORM,
  config: AppConfig,
): Promise<DemoDataSummary | undefined> {
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
