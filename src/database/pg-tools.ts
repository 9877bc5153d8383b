import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from '../common/startup-error.js';

/**
 * PostgreSQL's own client programs (pg_dump, pg_restore) for `db:backup` and `db:restore`: where to find a version
 * that can talk to the server, and how to hand them the connection without putting the password on a command line.
 */

/** URL query parameters that libpq reads from an environment variable of its own. */
const LIBPQ_PARAMETERS: Record<string, string> = {
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslcrl: 'PGSSLCRL',
  application_name: 'PGAPPNAME',
  options: 'PGOPTIONS',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
};

/**
 * The libpq environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, …) for a
 * `postgres://` URL, so that the child's command line (visible in `ps`) never holds the password. Parts the URL
 * leaves out are left out here too: libpq then falls back to the inherited PG* variables, as node-postgres does.
 */
export function libpqEnvironment(databaseUrl: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new StartupError(
      'DATABASE_URL is not a URL: expected postgres://user:password@host:port/database.',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StartupError(`DATABASE_URL must start with postgres:// (not ${url.protocol}//).`);
  }
  const env: Record<string, string> = {};
  const set = (name: string, value: string | null | undefined): void => {
    if (value) env[name] = value;
  };
  // `?host=/var/run/postgresql` (a socket directory) wins over the URL's host, as in libpq's own URIs.
  set('PGHOST', url.searchParams.get('host') ?? decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1')));
  set('PGPORT', url.searchParams.get('port') ?? url.port);
  set('PGUSER', decodeURIComponent(url.username));
  set('PGPASSWORD', decodeURIComponent(url.password));
  set('PGDATABASE', decodeURIComponent(url.pathname.replace(/^\//, '')));
  for (const [parameter, variable] of Object.entries(LIBPQ_PARAMETERS))
    set(variable, url.searchParams.get(parameter));
  // node-postgres spellings libpq does not know: `ssl=true` and `sslmode=no-verify` both mean TLS without checking
  // the certificate, which is libpq's `require`.
  const ssl = url.searchParams.get('ssl');
  if (!env.PGSSLMODE && (ssl === 'true' || ssl === '1')) env.PGSSLMODE = 'require';
  if (env.PGSSLMODE === 'no-verify') env.PGSSLMODE = 'require';
  return env;
}

/** A directory holding pg_dump and pg_restore, and their major version (undefined: they could not be run). */
export interface PgToolsCandidate {
  binDir: string;
  major: number | undefined;
  origin: 'PG_BIN_DIR' | 'debian' | 'PATH';
}

export type PgToolsChoice =
  | { ok: true; binDir: string; major: number; pgDump: string; pgRestore: string }
  | { ok: false; problem: string };

/**
 * pg_dump refuses a server newer than itself, and pg_restore reads only archives of its own version or older; the
 * SQL either writes suits its own major best. So: PG_BIN_DIR when set (and only it); otherwise the smallest
 * Debian-installed major (/usr/lib/postgresql/N/bin) that is at least the server's; otherwise pg_dump on PATH if
 * it is new enough. Anything else is a one-line problem naming the server's major and what to install.
 */
export function choosePgTools(serverMajor: number, candidates: readonly PgToolsCandidate[]): PgToolsChoice {
  const explicit = candidates.find((candidate) => candidate.origin === 'PG_BIN_DIR');
  const usable = (candidate: PgToolsCandidate): candidate is PgToolsCandidate & { major: number } =>
    candidate.major !== undefined && candidate.major >= serverMajor;
  const chosen = explicit
    ? [explicit].filter(usable)[0]
    : (candidates
        .filter((candidate) => candidate.origin === 'debian')
        .filter(usable)
        .sort((a, b) => a.major - b.major)[0] ??
      candidates.filter((candidate) => candidate.origin === 'PATH').filter(usable)[0]);
  if (chosen) {
    return {
      ok: true,
      binDir: chosen.binDir,
      major: chosen.major,
      pgDump: path.join(chosen.binDir, 'pg_dump'),
      pgRestore: path.join(chosen.binDir, 'pg_restore'),
    };
  }
  const where = explicit
    ? `PG_BIN_DIR=${explicit.binDir} has ${explicit.major === undefined ? 'none that run' : `version ${explicit.major}`}`
    : `found ${candidates.map((c) => `${c.major ?? '?'} in ${c.binDir}`).join(', ') || 'none'}`;
  return {
    ok: false,
    problem:
      `The PostgreSQL ${serverMajor} server needs pg_dump and pg_restore ${serverMajor} or newer (${where}): ` +
      `install them (apt-get install postgresql-client-${serverMajor}, from apt.postgresql.org) or set PG_BIN_DIR ` +
      'to the directory that has them.',
  };
}

/** The candidates on this machine (see choosePgTools), each asked for its version; then the choice. */
export async function findPgTools(
  serverMajor: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PgToolsChoice> {
  const directories: { binDir: string; origin: PgToolsCandidate['origin'] }[] = [];
  if (env.PG_BIN_DIR) {
    directories.push({ binDir: path.resolve(env.PG_BIN_DIR), origin: 'PG_BIN_DIR' });
  } else {
    const debian = '/usr/lib/postgresql';
    const versions = await readdir(debian).catch(() => []);
    for (const version of versions.filter((name) => /^\d+$/.test(name))) {
      directories.push({ binDir: path.join(debian, version, 'bin'), origin: 'debian' });
    }
    const onPath = await firstOnPath('pg_dump', env.PATH ?? '');
    if (onPath) directories.push({ binDir: onPath, origin: 'PATH' });
  }
  const candidates: PgToolsCandidate[] = [];
  for (const { binDir, origin } of directories) {
    // A Debian directory without the client programs (a server-only package) is not a candidate at all.
    if (origin === 'debian' && !(await isExecutable(path.join(binDir, 'pg_dump')))) continue;
    candidates.push({ binDir, origin, major: await toolsMajor(binDir) });
  }
  return choosePgTools(serverMajor, candidates);
}

/** The major version of pg_dump and pg_restore in a directory: the lower of the two, undefined if either is missing. */
async function toolsMajor(binDir: string): Promise<number | undefined> {
  const majors: number[] = [];
  for (const tool of ['pg_dump', 'pg_restore']) {
    const result = await runTool(path.join(binDir, tool), ['--version']).catch(() => undefined);
    const major = result?.code === 0 ? majorOfVersion(result.stdout) : undefined;
    if (major === undefined) return undefined;
    majors.push(major);
  }
  return Math.min(...majors);
}

/** 15 from "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"; 18 from "PostgreSQL 18beta1". */
export function majorOfVersion(text: string): number | undefined {
  const match = /PostgreSQL\)?\s+(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

async function firstOnPath(name: string, searchPath: string): Promise<string | undefined> {
  for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
    if (await isExecutable(path.join(directory, name))) return path.resolve(directory);
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The server's major version and full version string, e.g. 15 and "15.20 (Debian 15.20-0+deb12u1)". */
export async function serverVersionOf(databaseUrl: string): Promise<{ major: number; version: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ num: string; version: string }>(
      `select current_setting('server_version_num') as num, current_setting('server_version') as version`,
    );
    const [row] = rows;
    if (!row) throw new Error('no server version');
    return { major: Math.floor(Number(row.num) / 10_000), version: row.version };
  } catch (error) {
    throw new StartupError(
      `Could not connect to PostgreSQL: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with the given extra environment; a program that cannot start is a StartupError. */
export function runTool(
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      reject(new StartupError(`Could not run ${file}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
    });
  });
}

/** The line of a pg_dump/pg_restore error output worth showing: the first "error:" line, else the last line. */
export function mainErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /\berror:/.test(line)) ?? lines.at(-1) ?? 'no output';
}
