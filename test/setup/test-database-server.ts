import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '../../src/database/orm.config.js';

/** Arbitrary, fixed key of the advisory lock that serialises building the template database. */
const TEMPLATE_LOCK_KEY = 7_341_001;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the suites through jest (test/setup/global-setup.mjs).`);
  return value;
}

/** The server the suites use: DATABASE_URL when set, otherwise the embedded PostgreSQL started by global setup. */
export const adminUrl = (): string => requiredEnv('TEST_DATABASE_ADMIN_URL');
export const templateDatabase = (): string => requiredEnv('TEST_TEMPLATE_DATABASE');

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates and migrates this run's template database once; test files running in parallel wait on an advisory
 * lock, and every later one finds it ready.
 */
export async function ensureTemplateDatabase(): Promise<string> {
  const admin = adminUrl();
  const template = templateDatabase();
  await withAdminClient(admin, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (rowCount) return;
      await client.query(`CREATE DATABASE ${template}`);
      try {
        const orm = await MikroORM.init(
          createOrmConfig(databaseUrl(admin, template), { preferTs: true, silentMigrations: true }),
        );
        try {
          await orm.migrator.up();
        } finally {
          await orm.close();
        }
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
        throw error;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return template;
}
