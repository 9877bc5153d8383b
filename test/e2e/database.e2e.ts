import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import { createOrmConfig } from '../../src/database/orm.config.js';
import { seedDemoData, seedDemoDataIfEmpty, DEFAULT_DEMO_DATA } from '../../src/database/seed/demo-data.js';
import { Session } from '../../src/sessions/session.entity.js';
import { createTestApp, createTestDatabase, type TestApp } from '../utils/test-app.js';

describe('schema from migrations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has the tables, constraints and list indexes', async () => {
    const em = t.em();
    const tables = await em.execute<{ table_name: string }[]>(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['mikro_orm_migrations', 'patient', 'therapist', 'therapy_session']),
    );
    const indexes = await em.execute<{ indexdef: string }[]>(
      `select indexdef from pg_indexes where tablename = 'therapy_session'`,
    );
    const definitions = indexes.map((row) => row.indexdef.replace(/^.* USING btree /, ''));
    expect(definitions).toEqual(
      expect.arrayContaining([
        '(starts_at, id)',
        '(status, starts_at, id)',
        '(therapist_id, starts_at, id)',
        '(patient_id, starts_at, id)',
        '(series_id, starts_at, id)',
        '(created_at, id)',
      ]),
    );
  });

  it.each([
    ['a duration out of range', `update therapy_session set duration_minutes = 10`],
    ['an unknown status', `update therapy_session set status = 'Lost'`],
    ['a dangling therapist', `update therapy_session set therapist_id = 987654`],
    ['an upper-case e-mail', `insert into therapist (name, email) values ('X', 'X@Y.example')`],
    ['a blank name', `insert into patient (name) values ('   ')`],
  ])('refuses %s', async (_label, statement) => {
    const em = t.em();
    await em.execute(
      `insert into therapist (name, email) values ('Check', 'check@clinic.example') on conflict do nothing`,
    );
    await em.execute(`insert into patient (name) values ('Check')`);
    await em.execute(
      `insert into therapy_session (therapist_id, patient_id, starts_at)
       select (select min(id) from therapist), (select min(id) from patient), now()
       on conflict do nothing`,
    );
    await expect(em.execute(statement)).rejects.toThrow(/violates/);
  });
});

/**
 * What the migrations hold and MikroORM's entity metadata does not describe, so its diff would drop them: each one
 * named, so that anything else the diff finds is drift between the entities and the schema.
 */
const MIGRATION_ONLY = {
  tables: [
    // The idempotency store is read and written with plain SQL (IdempotencyKeyRepository); it has no entity.
    'idempotency_key',
    // Owned by the libraries that read and write them: connect-pg-simple's session store, and
    // rate-limiter-flexible's counters.
    'http_session',
    'rate_limit',
    // The audit trail is written by triggers and the app's plain SQL (AuditRepository) and never loaded as entities.
    'audit_event',
    // The stats aggregate, kept by triggers and read with plain SQL (StatsRepository); no entity.
    'session_daily_stats',
    'session_stats_zone',
  ],
  // The audit trail's triggers: one per table and operation, and the append-only guard.
  triggers:
    /(^|_)(\w+_audit_(inserted|updated|deleted)|audit_event_append_only|audit_event_no_truncate|therapy_session_stats_(inserted|updated|deleted))$/,
  // Trigram (GIN, gin_trgm_ops) indexes on expressions serve the `q` searches; an entity index cannot declare them.
  indexes: [
    'therapist_search_trgm',
    'patient_search_trgm',
    'patient_phone_digits_trgm',
    // Partial (open entries only): an entity index cannot say `where`.
    'waitlist_entry_open_index',
  ],
  constraints: [
    // Exclusion constraints (btree_gist) refuse double bookings; MikroORM has no way to declare them.
    'therapy_session_therapist_no_overlap',
    'therapy_session_patient_no_overlap',
    'working_hours_no_overlap',
    'therapist_time_off_no_overlap',
    'clinic_closure_no_overlap',
    // CHECK constraints: the database's own guard behind the validation; the migrations are their one source.
    'therapist_name_not_blank',
    'therapist_email_lower_case',
    'therapist_buffer_minutes_range',
    'patient_name_not_blank',
    'patient_email_lower_case',
    'therapy_session_duration_range',
    'therapy_session_notes_length',
    'therapy_session_status_reason_length',
    'therapy_session_cancellation_has_reason',
    'session_series_occurrences_range',
    'working_hours_minutes_range',
    'working_hours_weekday_range',
    'staff_user_email_lower_case',
    'staff_user_name_not_blank',
    'staff_user_role_known',
    'staff_user_therapist_iff_role',
    'api_token_name_not_blank',
    'staff_user_mfa_enabled_has_secret',
    'therapist_time_off_range',
    'therapist_time_off_reason_not_blank',
    'clinic_closure_range',
    'clinic_closure_name_not_blank',
    'waitlist_entry_date_range',
    'waitlist_entry_weekdays_valid',
    'waitlist_entry_time_range',
    'waitlist_entry_notes_length',
    'waitlist_entry_closed_reason_known',
    'waitlist_entry_closed_has_reason',
    'waitlist_entry_session_when_booked',
  ],
  // The immutable function the generated column ends_at (Session.endsAt) is computed with, and the one the
  // row-level-security policies read the therapist of the transaction with.
  functions: [
    'session_end',
    'app_therapist_id',
    // The audit trail's: the one that writes the events, and the guard that refuses to change them.
    'audit_record_changes',
    // Lower case, no accents: what the searches and their indexes compare.
    'search_normalize',
    'audit_event_refuse_change',
    // The stats aggregate's triggers and its rebuild.
    'session_stats_inserted',
    'session_stats_updated',
    'session_stats_deleted',
    'rebuild_session_stats',
  ],
  // Row-level security on these tables: policies live in the migrations only.
  rowSecurity: [
    'therapy_session',
    'patient',
    'session_event',
    'therapist_time_off',
    'session_daily_stats',
    'waitlist_entry',
  ],
};

function isMigrationOnly(statement: string): boolean {
  const { tables, indexes, constraints, functions, rowSecurity, triggers } = MIGRATION_ONLY;
  // MikroORM names a trigger's function `<table>_<trigger>_fn`.
  const trigger =
    /^drop trigger if exists "(\w+)" on "\w+";$/.exec(statement)?.[1] ??
    /^drop function if exists "(\w+)_fn"\(\);$/.exec(statement)?.[1];
  return (
    (trigger !== undefined && triggers.test(trigger)) ||
    rowSecurity.some(
      (table) =>
        statement === `alter table "${table}" disable row level security;` ||
        new RegExp(`^drop policy "${table}_(staff|therapist)" on "${table}";$`).test(statement),
    ) ||
    tables.some((name) => statement === `drop table if exists "${name}" cascade;`) ||
    indexes.some((name) => statement === `drop index "${name}";`) ||
    constraints.some((name) =>
      new RegExp(`^alter table "\\w+" drop constraint "${name}";$`).test(statement),
    ) ||
    functions.some((name) => statement.startsWith(`drop function if exists "${name}"(`))
  );
}

/** A migrated database of the suite's own, with an ORM on it (handed to `use`), dropped after the suite. */
function useMigratedDatabase(use: (orm: MikroORM) => void): void {
  let database: { url: string; drop: () => Promise<void> };
  let orm: MikroORM;
  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig(database.url, { preferTs: true }));
    use(orm);
  });
  afterAll(async () => {
    await orm.close();
    await database.drop();
  });
}

describe('entity metadata matches the migrated schema', () => {
  let orm: MikroORM;
  useMigratedDatabase((opened) => (orm = opened));

  it('leaves MikroORM nothing to change but what only the migrations can hold', async () => {
    const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    const statements = sql
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    // The comparison itself must have run: the migrated schema has every one of these, none in the entities.
    expect(statements).toContain('drop index "therapist_search_trgm";');
    const drift = statements.filter((statement) => !isMigrationOnly(statement));
    expect(drift).toEqual([]);
  });
});

describe('demo data', () => {
  let orm: MikroORM;
  useMigratedDatabase((opened) => (orm = opened));

  it('seeds an empty database once, with sessions in past and coming weeks and nobody double-booked', async () => {
    const timeZone = 'Europe/London';
    const first = await seedDemoDataIfEmpty(orm.em.fork(), { ...DEFAULT_DEMO_DATA, timeZone });
    expect(first?.therapists).toBeGreaterThanOrEqual(8);
    expect(first?.patients).toBeGreaterThanOrEqual(60);
    expect(first?.sessions).toBeGreaterThanOrEqual(500);
    expect(await seedDemoDataIfEmpty(orm.em.fork(), { ...DEFAULT_DEMO_DATA, timeZone })).toBeUndefined();

    const em = orm.em.fork();
    const now = new Date();
    expect(await em.count(Session, { startsAt: { $lt: now } })).toBeGreaterThan(100);
    expect(await em.count(Session, { startsAt: { $gt: now } })).toBeGreaterThan(100);
    const [{ overlaps }] = await em.execute<[{ overlaps: number }]>(
      `select count(*)::int as overlaps from therapy_session a join therapy_session b
         on a.id < b.id and (a.therapist_id = b.therapist_id or a.patient_id = b.patient_id)
        and a.starts_at < b.starts_at + make_interval(mins => b.duration_minutes)
        and b.starts_at < a.starts_at + make_interval(mins => a.duration_minutes)`,
    );
    expect(overlaps).toBe(0);
    // Every seeded session has its history: booked, and for those no longer scheduled, the status change.
    const [{ missing }] = await em.execute<[{ missing: number }]>(
      `select count(*)::int as missing from therapy_session s
        where not exists (select 1 from session_event e where e.session_id = s.id and e.type = 'created')
           or (s.status <> 'Scheduled'
               and not exists (select 1 from session_event e where e.session_id = s.id and e.type = 'status_changed'))`,
    );
    expect(missing).toBe(0);
  });

  it('is the same practice every time (fixed faker seed)', async () => {
    const namesAfterSeeding = async (): Promise<string[]> => {
      const other = await createTestDatabase();
      const otherOrm = await MikroORM.init(createOrmConfig(other.url, { preferTs: true }));
      try {
        const today = Temporal.PlainDate.from('2025-11-15');
        await seedDemoData(otherOrm.em.fork(), { ...DEFAULT_DEMO_DATA, timeZone: 'UTC', today });
        const rows = await otherOrm.em
          .fork()
          .execute<{ name: string }[]>('select name from therapist order by id');
        return rows.map((row) => row.name);
      } finally {
        await otherOrm.close();
        await other.drop();
      }
    };
    const first = await namesAfterSeeding();
    expect(first.length).toBeGreaterThanOrEqual(8);
    expect(await namesAfterSeeding()).toEqual(first);
  });
});
