import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { StartupError } from '../common/startup-error.js';
import {
  firstLineOf,
  findBinaries,
  placeWhereReachable,
  postgresUser,
  type Binaries,
  type RunAs,
} from './embedded-postgres-root.js';

const USER = 'postgres';
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use, kept across restarts. */
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
  /** Stop on SIGINT/SIGTERM/SIGHUP (default); the app turns this off and stops it after draining requests. */
  stopOnSignals?: boolean;
}

export interface RunningEmbeddedPostgres {
  url: string;
  /** Connection URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL binaries shipped by the `embedded-postgres` package (a dev dependency: production runs
 * against DATABASE_URL). The processes are spawned here rather than through the package's class, because that
 * class cannot run binaries from another directory (needed as root, below) and leaves a failed spawn as an
 * unhandled 'error' event. Every failure becomes a one-line StartupError.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const runAs = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const wanted = { binaries: await findBinaries(), dataDir: path.resolve(options.dataDir) };
  await mkdir(path.dirname(wanted.dataDir), { recursive: true });
  const { binaries, dataDir } = runAs ? await placeWhereReachable(wanted, runAs, options.log) : wanted;

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.log?.(`Initialising embedded PostgreSQL in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
    await initialise(binaries, dataDir, runAs);
  }
  await stopOrphanedServer(dataDir, options.log);
  const server = await startServer(binaries, dataDir, options.port, runAs, options.stopOnSignals ?? true);
  const urlFor = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  try {
    await ensureDatabaseExists(urlFor('postgres'), options.database);
  } catch (error) {
    await server.stop();
    throw new StartupError(
      `Embedded PostgreSQL started but refused a connection (${firstLineOf(error)}): if another tool made ` +
        `${dataDir}, remove it or set EMBEDDED_DATABASE_DIR to another directory.`,
      { cause: error },
    );
  }
  return { url: urlFor(options.database), urlFor, stop: server.stop };
}

async function initialise(binaries: Binaries, dataDir: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The password file must be readable by the server's user only, and only while initdb runs.
  const passwordFile = path.join(path.dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) for (const file of [dataDir, passwordFile]) await chown(file, runAs.uid, runAs.gid);
  const args = [
    `--pgdata=${dataDir}`,
    '--auth=scram-sha-256',
    `--username=${USER}`,
    `--pwfile=${passwordFile}`,
    '--encoding=UTF8',
    '--lc-messages=C',
  ];
  try {
    const child = spawnServerProcess(binaries.initdb, args, runAs);
    const output = collectOutput(child);
    const code = await exitOf(child, binaries.initdb);
    if (code !== 0)
      throw new StartupError(
        `Embedded PostgreSQL could not initialise ${dataDir} (initdb: ${lastProblem(output)}): ` +
          'remove that directory or set EMBEDDED_DATABASE_DIR to another one.',
      );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function startServer(
  binaries: Binaries,
  dataDir: string,
  port: number,
  runAs: RunAs | undefined,
  stopOnSignals: boolean,
): Promise<{ stop: () => Promise<void> }> {
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  // No Unix socket (nothing connects through one), and English messages so readiness can be read from the log.
  args.push('-c', 'unix_socket_directories=', '-c', 'lc_messages=C');
  const child = spawnServerProcess(binaries.postgres, args, runAs);
  const output = collectOutput(child);
  const exited = exitOf(child, binaries.postgres);
  const ready = new Promise<void>((resolve) => {
    child.stderr?.on('data', () => {
      if (output.join('\n').includes(READY)) resolve();
    });
  });
  // Unreferenced: a started server must not keep a short command (db:migrate) waiting for this timer.
  const timeout = sleep(60_000, undefined, { ref: false }).then(() => 'timeout' as const);
  const outcome = await Promise.race([ready.then(() => 'ready' as const), exited, timeout]);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    throw new StartupError(
      `Embedded PostgreSQL did not start on port ${port} (${outcome === 'timeout' ? 'no answer in 60 s' : lastProblem(output)}): ` +
        'if the port is taken set EMBEDDED_DATABASE_PORT to a free one; otherwise set DATABASE_URL.',
    );
  }
  // Stopped with the app: on Ctrl-C or SIGTERM (Ctrl-C also reaches it directly), or at the latest on exit; the app
  // itself turns the signals off and calls stop() after draining its requests (shut-down-on-signals.ts).
  const signals = stopOnSignals ? (['SIGINT', 'SIGTERM', 'SIGHUP'] as const) : [];
  let stopping: Promise<unknown> | undefined;
  const shutdown = (): Promise<unknown> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    return (stopping ??= exited.catch(() => undefined));
  };
  const onExit = (): void => {
    void shutdown();
  };
  // Not `once`: Nest's shutdown hook re-raises the signal after closing the app, and the process must live on
  // until the server has stopped (else a quick restart finds it still running).
  const onSignal = (signal: NodeJS.Signals): void => {
    void shutdown().finally(() => process.exit(128 + os.constants.signals[signal]));
  };
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
    await shutdown();
  };
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);
  return { stop };
}

function spawnServerProcess(file: string, args: string[], runAs: RunAs | undefined): ChildProcess {
  return spawn(file, args, {
    ...runAs,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Keeps the last lines a process printed (and drains its pipes, which would otherwise fill up and block it). */
function collectOutput(child: ChildProcess): string[] {
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return lines;
}

/** The exit code; a process that could not be started at all (e.g. EACCES) is a StartupError, not an 'error' event. */
function exitOf(child: ChildProcess, file: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // `on`, not `once`: a later 'error' (e.g. a failed kill) must not become an unhandled event either.
    child.on('error', (error) => {
      reject(
        new StartupError(
          `Could not run the embedded PostgreSQL (${file}: ${firstLineOf(error)}): check that the user running it ` +
            'can reach and execute it (reinstall with `npm ci`), or set DATABASE_URL.',
          { cause: error },
        ),
      );
    });
    child.once('exit', resolve);
  });
}

function lastProblem(lines: string[]): string {
  const problem = lines.findLast((line) => /FATAL|ERROR|error|could not/.test(line)) ?? lines.at(-1);
  // Without the log line's time stamp and process id: "FATAL:  could not create any TCP/IP sockets".
  return problem?.replace(/^.*?\[\d+\]\s*/, '').trim() ?? 'no output';
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
