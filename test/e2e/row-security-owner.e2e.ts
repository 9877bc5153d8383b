import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { RowSecurity } from '../../src/access/row-security.js';
import { createOrmConfig } from '../../src/database/orm.config.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { adminUrl, databaseUrl, withAdminClient } from '../setup/test-database-server.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Managed PostgreSQL services give the app a plain role (with CREATEROLE) that owns the tables, not a superuser.
 * Migrated and served by such a role, a therapist's requests are still held to their rows by PostgreSQL.
 */
describe('row-level security when the app’s user owns the tables (no superuser)', () => {
  const suffix = `${process.pid}_${Date.now() % 100_000}`;
  const owner = `tsm_owner_${suffix}`;
  const database = `tsm_owned_${suffix}`;
  let t: TestApp | undefined;

  beforeAll(async () => {
    await withAdminClient(adminUrl(), async (client) => {
      await client.query(`create role ${owner} login createrole`);
      await client.query(`create database ${database} owner ${owner}`);
    });
    const base = new URL(databaseUrl(adminUrl(), database));
    base.username = owner;
    base.password = '';
    const url = base.toString();
    const orm = await MikroORM.init(createOrmConfig(url, { preferTs: true, silentMigrations: true }));
    try {
      await orm.migrator.up();
    } finally {
      await orm.close();
    }
    t = await createTestApp({}, { shareDatabaseOf: url });
  });

  afterAll(async () => {
    await t?.close();
    await withAdminClient(adminUrl(), async (client) => {
      await client.query(`drop database if exists ${database} with (force)`);
      await client.query(`drop role if exists ${owner}`);
    });
  });

  it('serves the app as that role, and a therapist’s unfiltered query sees only their rows', async () => {
    if (!t) throw new Error('the app did not start');
    const app = t;
    const [who] = await t
      .em()
      .execute<{ user: string; superuser: boolean }[]>(
        `select current_user as user, rolsuper as superuser from pg_roles where rolname = current_user`,
      );
    expect(who).toEqual({ user: owner, superuser: false });
    const em = app.em();
    const [mine, theirs] = [await createTherapist(em), await createTherapist(em)];
    await createSession(em, { therapist: mine, patient: await createPatient(em) });
    await createSession(em, { therapist: theirs, patient: await createPatient(em) });
    const therapist = await app.signIn('therapist', { therapistId: mine.id });
    const listed = await therapist.get('/api/sessions').expect(200);
    expect(
      (listed.body as { data: { therapist: { id: number } }[] }).data.map((s) => s.therapist.id),
    ).toEqual([mine.id]);

    const actor = { userId: 1, name: 'x', role: 'therapist' as const, therapistId: mine.id, tokenId: null };
    const seen = await t.app
      .get(RowSecurity)
      .within(actor, () =>
        app.orm.em.execute<{ therapist_id: number; role: string }[]>(
          'select therapist_id, current_user as role from therapy_session',
        ),
      );
    expect(seen.map((row) => [row.therapist_id, row.role])).toEqual([[mine.id, 'therapy_app']]);
  });
});
