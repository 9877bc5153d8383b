import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { createOrmConfig } from '../../src/database/orm.config.js';
import { findPgTools, serverVersionOf } from '../../src/database/pg-tools.js';
import { DEFAULT_DEMO_DATA, seedDemoData } from '../../src/database/seed/demo-data.js';
import { adminUrl, databaseUrl, withAdminClient } from '../setup/test-database-server.js';
import { createTestDatabase } from '../utils/test-app.js';
import { ROOT } from './startup-helpers.js';

/**
 * The backup drill, through the real CLI (`src/database/cli.ts backup|restore` as a child process): a seeded
 * database is dumped, restored into a new, empty one, and the two compared. Which half runs depends on the test
 * server: with a pg_dump/pg_restore able to serve it (chosen by the CLI's own findPgTools), the drill; without
 * (e.g. the embedded PostgreSQL 18 on a machine with an older client), the CLI's one-line refusal.
 */
const server = await serverVersionOf(adminUrl());
const tools = await findPgTools(server.major);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], url: string): Promise<CliResult> {
  // The child must not inherit Jest's VM-modules flag; DATABASE_URL is the database under test.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, NODE_ENV: 'test' };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'src/database/cli.ts', ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** An empty database (CREATE DATABASE with no template clause: a copy of template1, no tables). */
async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `therapy_restore_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl(), (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: databaseUrl(adminUrl(), name),
    drop: () =>
      withAdminClient(adminUrl(), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

interface Snapshot {
  tables: Record<string, { rows: number; digest: string }>;
  columns: string[];
  constraints: string[];
  indexes: string[];
  sequences: string[];
  functions: string[];
  extensions: string[];
}

async function lines(client: pg.Client, sql: string): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(sql);
  return rows.map((row) => row.line);
}

/** Everything a restore must bring back: each table's rows (count and a digest of their text), and the schema. */
function snapshot(url: string): Promise<Snapshot> {
  return withAdminClient(url, async (client) => {
    const tables: Snapshot['tables'] = {};
    const names = await lines(client, `select tablename as line from pg_tables where schemaname = 'public'`);
    for (const name of names.sort()) {
      const { rows } = await client.query<{ rows: number; digest: string }>(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest
         from public.${client.escapeIdentifier(name)} t`,
      );
      const [row] = rows;
      if (row) tables[name] = row;
    }
    return {
      tables,
      columns: await lines(
        client,
        `select concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default, generation_expression)
           as line from information_schema.columns where table_schema = 'public' order by 1`,
      ),
      constraints: await lines(
        client,
        `select concat_ws(' ', conrelid::regclass, conname, pg_get_constraintdef(oid)) as line
         from pg_constraint where connamespace = 'public'::regnamespace order by 1`,
      ),
      indexes: await lines(
        client,
        `select indexdef as line from pg_indexes where schemaname = 'public' order by 1`,
      ),
      sequences: await lines(
        client,
        `select concat_ws(' ', sequencename, last_value) as line from pg_sequences where schemaname = 'public' order by 1`,
      ),
      functions: await lines(
        client,
        `select pg_get_functiondef(p.oid) as line from pg_proc p
         where p.pronamespace = 'public'::regnamespace
           and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') order by 1`,
      ),
      extensions: await lines(
        client,
        `select extname || ' ' || extversion as line from pg_extension order by 1`,
      ),
    };
  });
}

/** Rows the demo seed does not make: a series, text that needs quoting, json kept verbatim, a cancelled overlap. */
const EXTRA_ROWS = `
  insert into patient (name, email, phone) values (E'Zoë O''Brien-Ñúñez "the second" \\\\ tab\\there', 'zoe@example.org', null);
  insert into session_series (frequency, occurrences) values ('weekly', 2);
  insert into therapy_session (therapist_id, patient_id, starts_at, duration_minutes, notes, series_id)
  select (select min(id) from therapist), (select max(id) from patient), at, 50,
         E'Line one\\nline two, with a 🙂 and a backslash \\\\', (select max(id) from session_series)
  from unnest(array['2031-01-06 03:00+00', '2031-01-13 03:00+00']::timestamptz[]) as at;
  insert into therapy_session (therapist_id, patient_id, starts_at, status, status_reason)
  values ((select min(id) from therapist), (select min(id) from patient), '2031-01-06 03:10+00', 'Cancelled',
          'Overlaps a session, allowed because it is cancelled');
  insert into idempotency_key (scope, key, request_hash, status, body, location)
  values ('POST /api/sessions', 'k-1', repeat('a', 64), 201, '{"b": 1, "a": [2, 3]}', '/api/sessions/1');
`;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'backup-e2e-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

if (tools.ok) {
  describe(`db:backup and db:restore (PostgreSQL ${server.major}, pg_dump ${tools.major})`, () => {
    let sourceUrl: string;
    let targetUrl: string;
    let file: string;
    let backedUp: CliResult;
    let restored: CliResult;
    let source: Snapshot;

    beforeAll(async () => {
      const sourceDatabase = await createTestDatabase();
      cleanups.push(sourceDatabase.drop);
      sourceUrl = sourceDatabase.url;
      const orm = await MikroORM.init(createOrmConfig(sourceUrl, { preferTs: true }));
      try {
        await seedDemoData(orm.em.fork(), { ...DEFAULT_DEMO_DATA, timeZone: 'UTC' });
      } finally {
        await orm.close();
      }
      await withAdminClient(sourceUrl, (client) => client.query(EXTRA_ROWS));
      source = await snapshot(sourceUrl);

      file = path.join(await temporaryDirectory(), 'drill.dump');
      backedUp = await runCli(['backup', '--file', file], sourceUrl);
      const target = await createEmptyDatabase();
      cleanups.push(target.drop);
      targetUrl = target.url;
      restored = await runCli(['restore', '--file', file], targetUrl);
    }, 180_000);

    it('backs up into a whole custom-format archive, readable by its owner only, and says what it wrote', async () => {
      expect(backedUp.stderr).toBe('');
      expect(backedUp.code).toBe(0);
      expect(backedUp.stdout).toMatch(
        /^Backup: \S+drill\.dump \(\d+(\.\d)? (B|KiB|MiB), \d+ entries, \d+\.\d s, checked with pg_restore --list\)$/m,
      );
      expect((await readFile(file)).subarray(0, 5).toString()).toBe('PGDMP');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readdir(path.dirname(file))).toEqual(['drill.dump']);
      const password = new URL(sourceUrl).password;
      if (password) expect(backedUp.stdout).not.toContain(`:${password}@`);
    });

    it('restores into an empty database and reports its rows and migrations', () => {
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(/^Restored in \d+\.\d s, then ANALYZE in \d+\.\d s\.$/m);
      const sessions = source.tables.therapy_session?.rows ?? 0;
      expect(sessions).toBeGreaterThan(832);
      expect(restored.stdout).toContain(`therapy_session ${sessions}`);
      expect(restored.stdout).toMatch(/^Migrations: all \d+ applied\.$/m);
    });

    it('brings back every row and the whole schema: constraints, indexes, sequences, functions, extensions', async () => {
      expect(Object.keys(source.tables)).toEqual(
        expect.arrayContaining([
          'therapist',
          'patient',
          'therapy_session',
          'session_event',
          'idempotency_key',
        ]),
      );
      expect(source.constraints.join('\n')).toContain(
        'therapy_session_therapist_no_overlap EXCLUDE USING gist',
      );
      expect(await snapshot(targetUrl)).toEqual(source);
    });

    it('keeps enforcing the rules: the exclusion constraint refuses an overlapping booking', async () => {
      await withAdminClient(targetUrl, async (client) => {
        // An explicit id, so the refused insert takes no number from the identity sequence (compared above).
        const overlap = client.query(
          `insert into therapy_session (id, therapist_id, patient_id, starts_at)
           select 999999, therapist_id, (select max(id) from patient where id <> s.patient_id),
                  starts_at + interval '10 minutes'
           from therapy_session s where status = 'Scheduled' order by id limit 1`,
        );
        await expect(overlap).rejects.toMatchObject({
          code: '23P01',
          constraint: 'therapy_session_therapist_no_overlap',
        });
      });
    });

    it('refuses to restore over existing tables in one line, and replaces them with --force', async () => {
      const target = await createEmptyDatabase();
      cleanups.push(target.drop);
      expect((await runCli(['restore', '--file', file], target.url)).code).toBe(0);
      await withAdminClient(target.url, (client) =>
        client.query(
          `delete from idempotency_key; insert into patient (name) values ('Added after the backup')`,
        ),
      );

      const refused = await runCli(['restore', '--file', file], target.url);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toMatch(/^The database \S+ already has \d+ tables: .*--force[^\n]*$/);
      expect(refused.stdout).not.toContain('Restoring');

      const forced = await runCli(['restore', '--file', file, '--force'], target.url);
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/replacing \d+ tables/);
      expect(await snapshot(target.url)).toEqual(source);
    }, 120_000);
  });
} else {
  describe(`db:backup and db:restore on PostgreSQL ${server.major} without a pg_dump ${server.major}`, () => {
    let url: string;

    beforeAll(async () => {
      const database = await createTestDatabase();
      cleanups.push(database.drop);
      url = database.url;
    });

    it('backup refuses in one line naming the server version and what to install', async () => {
      const file = path.join(await temporaryDirectory(), 'never.dump');
      const result = await runCli(['backup', '--file', file], url);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(tools.problem);
      expect(tools.problem).toContain(`PostgreSQL ${server.major} server`);
      expect(tools.problem).toContain(`postgresql-client-${server.major}`);
      expect(await readdir(path.dirname(file))).toEqual([]);
    });

    it('restore refuses the same way, before reading the file', async () => {
      const file = path.join(await temporaryDirectory(), 'some.dump');
      await writeFile(file, 'PGDMP');
      const result = await runCli(['restore', '--file', file], url);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(tools.problem);
    });
  });
}
