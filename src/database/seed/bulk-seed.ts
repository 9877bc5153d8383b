import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StartupError } from '../../common/startup-error.js';
import {
  copyLine,
  patientRows,
  planSessions,
  SESSION_COPY_COLUMNS,
  sessionsOf,
  therapistRows,
  therapistSessionLines,
  WORKING_HOURS,
  type BulkSeedOptions,
  type SessionPlan,
} from './bulk-data.js';

export interface BulkSeedSummary {
  therapists: number;
  patients: number;
  sessions: number;
  byStatus: Record<string, number>;
  /** Seconds spent in each phase, in order. */
  phases: [string, number][];
}

/** Index builds sort in memory up to this much per connection (PostgreSQL's default is 64 MB). */
const MAINTENANCE_WORK_MEM = '512MB';
const CHUNK_CHARS = 256 * 1024;

/**
 * Fills an empty database with a practice network at scale, as fast as PostgreSQL takes it: people by COPY,
 * sessions by parallel COPY streams with the overlap (exclusion) constraints in force all along, so PostgreSQL
 * checks every row as it lands, while the plain B-tree indexes and the foreign keys are set aside during the load
 * and rebuilt (sorted, in parallel) and validated after it. Every constraint is on and validated at the end.
 *
 * The sessions' audit trigger is bypassed for the load (`session_replication_role = replica`, connection-local,
 * superuser only) and the trail gets one summary event instead of a million; the people are audited row by row.
 */
export async function bulkSeed(
  url: string,
  options: BulkSeedOptions,
  log: (line: string) => void,
): Promise<BulkSeedSummary> {
  if (options.patients < options.therapists) {
    throw new StartupError('Give at least as many patients as therapists (each patient sees one therapist).');
  }
  const phases: [string, number][] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    phases.push([name, (performance.now() - started) / 1000]);
    log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
  const admin = await connect(url);
  try {
    const { rows } = await admin.query<{ seeded: boolean }>(
      'select exists (select from therapist) as seeded',
    );
    if (rows[0]?.seeded) throw new StartupError('The database already has data; not seeding (use db:reset).');
    await timed('people', () => seedPeople(admin, options));
    const plan = planSessions(options);
    const setAside = await timed('set aside indexes and foreign keys', () => setAsideIndexes(admin));
    await timed(`sessions (${options.streams} COPY streams)`, () => copySessions(url, options, plan));
    await timed('B-tree indexes', () => runSpread(url, options.streams, setAside.indexes));
    await timed('foreign keys (validated)', () => runSpread(url, 1, setAside.foreignKeys));
    await timed('audit summary and statistics', () => finish(admin, options));
    await timed('stats aggregate', () => recountStats(admin, options.timeZone));
    const byStatus = await admin.query<{ status: string; count: string }>(
      'select status, count(*) from therapy_session group by status order by status',
    );
    return {
      therapists: options.therapists,
      patients: options.patients,
      sessions: options.sessions,
      byStatus: Object.fromEntries(byStatus.rows.map((row) => [row.status, Number(row.count)])),
      phases,
    };
  } finally {
    await admin.end();
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`set maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
  return client;
}

async function copyLines(client: pg.Client, sql: string, lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunked(lines)), client.query(copyFrom(sql)));
}

function* chunked(lines: Iterable<string>, onChunk?: (lines: number) => void): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const line of lines) {
    chunk += line;
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      onChunk?.(count);
      chunk = '';
      count = 0;
    }
  }
  if (chunk) yield chunk;
  if (count) onChunk?.(count);
}

async function seedPeople(client: pg.Client, options: BulkSeedOptions): Promise<void> {
  await client.query('begin');
  await copyLines(
    client,
    'copy therapist ("id", "name", "email", "specialty") from stdin',
    therapistRows(options.therapists),
  );
  await copyLines(
    client,
    'copy patient ("id", "name", "email", "phone", "date_of_birth") from stdin',
    patientRows(options.patients),
  );
  await copyLines(
    client,
    'copy working_hours ("therapist_id", "weekday", "start_minute", "end_minute") from stdin',
    (function* () {
      for (let therapist = 1; therapist <= options.therapists; therapist++) {
        for (const weekday of WORKING_HOURS.weekdays) {
          yield copyLine([therapist, weekday, WORKING_HOURS.startMinute, WORKING_HOURS.endMinute]);
        }
      }
    })(),
  );
  for (const table of ['therapist', 'patient']) {
    await client.query(
      `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from "${table}"))`,
    );
  }
  await client.query('commit');
}

interface SetAside {
  indexes: string[];
  foreignKeys: string[];
}

/**
 * Drops the sessions' plain indexes (not the primary key nor the exclusion constraints' indexes) and foreign keys,
 * returning the statements that put them back exactly as they were.
 */
async function setAsideIndexes(client: pg.Client): Promise<SetAside> {
  const indexes = await client.query<{ name: string; definition: string }>(`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = 'therapy_session'::regclass
      and not exists (select from pg_constraint k where k.conindid = i.indexrelid)`);
  const foreignKeys = await client.query<{ name: string; definition: string }>(`
    select conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where conrelid = 'therapy_session'::regclass and contype = 'f'`);
  await client.query('begin');
  for (const { name } of indexes.rows) await client.query(`drop index "${name}"`);
  for (const { name } of foreignKeys.rows) {
    await client.query(`alter table therapy_session drop constraint "${name}"`);
  }
  await client.query('commit');
  return {
    indexes: indexes.rows.map((row) => row.definition),
    foreignKeys: foreignKeys.rows.map(
      (row) => `alter table therapy_session add constraint "${row.name}" ${row.definition}`,
    ),
  };
}

/** Each stream a contiguous block of therapists, on its own connection, so PostgreSQL uses every core. */
async function copySessions(url: string, options: BulkSeedOptions, plan: SessionPlan): Promise<void> {
  const bar = new SingleBar({
    format: 'sessions [{bar}] {percentage}% | {value}/{total} | {duration}s',
    hideCursor: true,
  });
  bar.start(options.sessions, 0);
  const perStream = Math.ceil(options.therapists / options.streams);
  try {
    await Promise.all(
      Array.from({ length: options.streams }, async (_, stream) => {
        const first = stream * perStream;
        const last = Math.min(options.therapists, first + perStream);
        if (first >= last) return;
        const client = await connect(url);
        try {
          await client.query('set session_replication_role = replica');
          const lines = (function* () {
            for (let therapist = first; therapist < last; therapist++) {
              yield* therapistSessionLines(therapist, options, plan);
            }
          })();
          const sql = `copy therapy_session (${SESSION_COPY_COLUMNS}) from stdin`;
          await pipeline(
            Readable.from(
              chunked(lines, (count) => {
                bar.increment(count);
              }),
            ),
            client.query(copyFrom(sql)),
          );
        } finally {
          await client.end();
        }
      }),
    );
  } finally {
    bar.stop();
  }
}

/** The load ran with the triggers off, so the stats aggregate they keep is recounted from the sessions. */
async function recountStats(client: pg.Client, timeZone: string): Promise<void> {
  await client.query('select rebuild_session_stats($1)', [timeZone]);
  await client.query('vacuum (analyze) session_daily_stats');
}

/** Runs the statements on `connections` connections at once, each taking the next one free. */
async function runSpread(url: string, connections: number, statements: string[]): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: Math.min(connections, queue.length) }, async () => {
      const client = await connect(url);
      try {
        for (let statement = queue.shift(); statement; statement = queue.shift())
          await client.query(statement);
      } finally {
        await client.end();
      }
    }),
  );
}

async function finish(client: pg.Client, options: BulkSeedOptions): Promise<void> {
  let total = 0;
  for (let therapist = 0; therapist < options.therapists; therapist++)
    total += sessionsOf(therapist, options);
  await client.query(
    `insert into audit_event (action, record_type, outcome, detail)
     values ('session.create', 'session', 'success', jsonb_build_object('source', 'bulk seed', 'count', $1::int))`,
    [total],
  );
  await client.query('vacuum (analyze) therapy_session, patient, therapist, working_hours');
}
