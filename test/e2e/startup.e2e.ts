import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort, isListening, ROOT, startApp, totalSessions, waitFor } from './startup-helpers.js';

describe('npm start without DATABASE_URL', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('starts an embedded PostgreSQL, migrates, seeds once, keeps the data and survives a killed run', async () => {
    await mkdir(path.join(ROOT, '.data'), { recursive: true });
    const dataDir = await mkdtemp(path.join(ROOT, '.data', 'startup-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [port, databasePort] = [await freePort(), await freePort()];
    const env = {
      PORT: String(port),
      EMBEDDED_DATABASE_PORT: String(databasePort),
      EMBEDDED_DATABASE_DIR: dataDir,
    };

    const first = startApp(env);
    cleanups.push(() => Promise.resolve(first.child.kill('SIGKILL')));
    await waitFor(first, 'API docs:');
    expect(first.output()).toMatch(/Applied migrations: Migration\d+_initial_schema/);
    expect(first.output()).toMatch(/Seeded demo data: \d+ therapists, \d+ patients, \d+ sessions/);
    expect(first.output()).toContain(`Staff pages: http://localhost:${port}/sessions`);
    const seeded = await totalSessions(port);
    expect(seeded).toBeGreaterThanOrEqual(500);

    first.child.kill('SIGTERM');
    expect(await first.exited).not.toBeNull();
    expect(await isListening(databasePort)).toBe(false);

    const second = startApp(env);
    cleanups.push(() => Promise.resolve(second.child.kill('SIGKILL')));
    await waitFor(second, 'API docs:');
    expect(second.output()).toContain('Database schema is up to date');
    expect(second.output()).not.toContain('Seeded demo data');
    // SIGKILL gives the app no chance to stop its database: the next start must cope with the orphan.
    second.child.kill('SIGKILL');
    await second.exited;
    expect(await isListening(databasePort)).toBe(true);

    const third = startApp(env);
    cleanups.push(() => Promise.resolve(third.child.kill('SIGKILL')));
    await waitFor(third, 'API docs:');
    expect(third.output()).toContain('Stopping an orphaned embedded PostgreSQL');
    expect(await totalSessions(port)).toBe(seeded);
    third.child.kill('SIGTERM');
    await third.exited;
  }, 120_000);

  it('reports a port in use in one line, without a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => {
      blocker.listen(0, '0.0.0.0', resolve);
    });
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const address = blocker.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    const app = startApp({
      PORT: String(port),
      // A server that answers: start-up waits for the database before it opens the port.
      DATABASE_URL: process.env.TEST_DATABASE_ADMIN_URL ?? '',
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
    });
    expect(await app.exited).toBe(1);
    const lines = app.output().trim().split('\n');
    expect(lines.at(-1)).toBe(
      `Port ${port} is already in use: stop the other process or set PORT to a free port.`,
    );
    expect(app.output()).not.toMatch(/\n\s+at |EADDRINUSE/);
  }, 60_000);

  it('refuses an invalid configuration, naming every bad variable', async () => {
    const app = startApp({ PORT: 'eighty', CLINIC_TIMEZONE: 'Mars/Olympus_Mons' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('Invalid configuration');
    expect(app.output()).toContain('PORT');
    expect(app.output()).toContain('CLINIC_TIMEZONE');
    expect(app.output()).not.toMatch(/\n\s+at /);
  }, 60_000);
});
