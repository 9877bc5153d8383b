import { existsSync } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { StartupError } from '../common/startup-error.js';
import type { AppConfig } from '../config/app-config.js';
import { redactUrl, resolveDatabase } from './database-bootstrap.js';
import { createOrmConfig } from './orm.config.js';
import {
  findPgTools,
  libpqEnvironment,
  mainErrorLine,
  runTool,
  serverVersionOf,
  type PgToolsChoice,
} from './pg-tools.js';

/** Where `db backup` writes when no --file is given (relative to the working directory: /app in the image). */
export const BACKUP_DIRECTORY = 'backups';

export const BACKUP_USAGE = 'Usage: db backup [--file PATH] | db restore --file PATH [--force]';

type Tools = Extract<PgToolsChoice, { ok: true }>;

export interface BackupArguments {
  file: string | undefined;
  force: boolean;
}

/** `backups/therapy-sessions-20261203T101500Z.dump`: UTC, sortable, no characters a file system dislikes. */
export function defaultBackupFile(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return path.join(BACKUP_DIRECTORY, `therapy-sessions-${stamp}.dump`);
}

export function parseBackupArguments(command: 'backup' | 'restore', args: string[]): BackupArguments {
  let values: { file?: string; force?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { file: { type: 'string' }, force: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StartupError(`${error instanceof Error ? error.message : String(error)}. ${BACKUP_USAGE}`);
  }
  if (command === 'backup' && values.force)
    throw new StartupError(`db backup takes no --force. ${BACKUP_USAGE}`);
  if (command === 'restore' && !values.file)
    throw new StartupError(`db restore needs --file PATH. ${BACKUP_USAGE}`);
  return { file: values.file, force: values.force ?? false };
}

/** 1536 → "1.5 KiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** The TOC of a custom-format archive, as `pg_restore --list` prints it. */
export interface ArchiveSummary {
  entries: number;
  dumpedFrom: string | undefined;
  dumpedBy: string | undefined;
}

export function summariseArchiveList(list: string): ArchiveSummary {
  const header = (label: string): string | undefined =>
    new RegExp(`^;\\s+${label}:\\s*(.+)$`, 'm').exec(list)?.[1]?.trim();
  return {
    entries: list.split('\n').filter((line) => /^\d+;/.test(line)).length,
    dumpedFrom: header('Dumped from database version'),
    dumpedBy: header('Dumped by pg_dump version'),
  };
}

/**
 * `db backup` and `db restore`: the same database the app would use (DATABASE_URL, or the embedded server started
 * for the command), through PostgreSQL's own pg_dump and pg_restore (custom format).
 */
export async function runBackupCommand(
  command: 'backup' | 'restore',
  args: string[],
  config: AppConfig,
  log: (line: string) => void,
): Promise<void> {
  const options = parseBackupArguments(command, args);
  if (command === 'restore' && options.file) {
    await access(options.file).catch(() => {
      throw new StartupError(
        `No backup at ${options.file ?? ''}: give the path of a file made by db backup.`,
      );
    });
  }
  const database = await resolveDatabase(config, log);
  try {
    log(`Database: ${redactUrl(database.url)}`);
    const server = await serverVersionOf(database.url);
    const tools = await findPgTools(server.major);
    if (!tools.ok) throw new StartupError(tools.problem);
    log(`PostgreSQL ${server.version}; using pg_dump/pg_restore ${tools.major} from ${tools.binDir}`);
    if (command === 'backup') await backup(database.url, tools, options.file, log);
    else await restore(database.url, tools, options.file ?? '', options.force, log);
  } finally {
    await database.stop();
  }
}

async function backup(
  url: string,
  tools: Tools,
  requested: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const file = path.resolve(requested ?? defaultBackupFile(new Date()));
  if (existsSync(file))
    throw new StartupError(
      `${shown(file)} already exists: a backup is never overwritten; give another --file.`,
    );
  // Written beside the target and renamed once checked, so a file with the final name is always a whole archive.
  // It holds patients' records: created readable by its owner only (pg_dump keeps the mode of the file it opens).
  const partial = `${file}.partial`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await rm(partial, { force: true });
    await (await open(partial, 'wx', 0o600)).close();
  } catch (error) {
    // E.g. a bind-mounted backups/ owned by another user than the container's.
    throw new StartupError(
      `Cannot write ${shown(partial)} (${error instanceof Error ? error.message : String(error)}): ` +
        'choose a writable --file, or make its directory writable for this user.',
      { cause: error },
    );
  }
  const started = performance.now();
  let summary: ArchiveSummary;
  try {
    const args = ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`];
    const dump = await runTool(tools.pgDump, args, libpqEnvironment(url));
    if (dump.code !== 0) throw new StartupError(`pg_dump failed: ${mainErrorLine(dump.stderr)}`);
    summary = await readArchive(tools, partial);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const { size } = await stat(file);
  log(
    `Backup: ${shown(file)} (${formatSize(size)}, ${summary.entries} entries, ${seconds(started)} s, ` +
      `checked with pg_restore --list)`,
  );
}

async function restore(
  url: string,
  tools: Tools,
  file: string,
  force: boolean,
  log: (line: string) => void,
): Promise<void> {
  const summary = await readArchive(tools, file);
  const database = libpqEnvironment(url).PGDATABASE;
  if (!database) throw new StartupError('DATABASE_URL names no database: add /<database> to it.');
  const existing = await withClient(url, countTables);
  if (existing > 0 && !force) {
    throw new StartupError(
      `The database ${database} already has ${existing} tables: restore into an empty database, or add --force ` +
        "to replace the backup's tables and data (stop the app first).",
    );
  }
  log(
    `Restoring ${shown(file)} (${summary.entries} entries, dumped from PostgreSQL ${summary.dumpedFrom ?? '?'} ` +
      `by pg_dump ${summary.dumpedBy ?? '?'}) into ${database}${existing > 0 ? `, replacing ${existing} tables` : ''}`,
  );
  const started = performance.now();
  const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction'];
  if (force) args.push('--clean', '--if-exists');
  // Only the database name goes on the command line (as a conninfo, so no name is mistaken for one); the rest,
  // password included, comes from the environment.
  args.push(`--dbname=dbname='${database.replace(/[\\']/g, '\\$&')}'`, file);
  const result = await runTool(tools.pgRestore, args, libpqEnvironment(url));
  if (result.code !== 0) {
    throw new StartupError(
      `pg_restore failed, nothing was restored (one transaction): ${mainErrorLine(result.stderr)}`,
    );
  }
  const restoredIn = seconds(started);
  // pg_restore brings no planner statistics; without them the first queries may plan badly until autovacuum runs.
  const analysing = performance.now();
  const rows = await withClient(url, async (client) => {
    await client.query('analyze');
    const analysedIn = seconds(analysing);
    log(`Restored in ${restoredIn} s, then ANALYZE in ${analysedIn} s.`);
    return countRows(client);
  });
  log(`Rows: ${rows.map(({ table, count }) => `${table} ${count}`).join(', ')}`);
  log(await migrationStatus(url));
}

/** Runs `pg_restore --list`: proves the archive is whole and readable by these tools, and summarises it. */
async function readArchive(tools: Tools, file: string): Promise<ArchiveSummary> {
  const list = await runTool(tools.pgRestore, ['--list', file]);
  if (list.code !== 0) {
    const problem = mainErrorLine(list.stderr);
    const hint = /unsupported version/.test(problem)
      ? `it was made by a newer pg_dump: set PG_BIN_DIR to a pg_restore as new as that`
      : 'is it a file made by db backup?';
    throw new StartupError(`pg_restore ${tools.major} cannot read ${shown(file)} (${problem}): ${hint}.`);
  }
  return summariseArchiveList(list.stdout);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Tables in any schema of the user's (what a restore could collide with). */
async function countTables(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ count: number }>(
    `select count(*)::int as count from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname not like 'pg\\_toast%'`,
  );
  return rows[0]?.count ?? 0;
}

async function countRows(client: pg.Client): Promise<{ table: string; count: number }[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p')
     order by relname`,
  );
  const counts: { table: string; count: number }[] = [];
  for (const { name } of tables) {
    const { rows } = await client.query<{ count: number }>(
      `select count(*)::int as count from public.${client.escapeIdentifier(name)}`,
    );
    counts.push({ table: name, count: rows[0]?.count ?? 0 });
  }
  return counts;
}

/** Whether this code's migrations are all applied to the restored database (a backup may predate some). */
async function migrationStatus(url: string): Promise<string> {
  const orm = await MikroORM.init(createOrmConfig(url));
  try {
    const executed = await orm.migrator.getExecuted();
    const pending = await orm.migrator.getPending();
    return pending.length === 0
      ? `Migrations: all ${executed.length} applied.`
      : `Migrations: ${executed.length} applied, ${pending.length} pending (${pending.map((m) => m.name).join(', ')}): ` +
          'run db:migrate, or start the app (it migrates on start unless MIGRATE_ON_START=false).';
  } finally {
    await orm.close();
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/** Relative to the working directory when inside it (as the user typed it), else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}
