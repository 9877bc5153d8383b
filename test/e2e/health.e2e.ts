import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('health probes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports readiness down while a migration is pending, and up once it is applied', async () => {
    // Before any successful probe: readiness stops re-reading the migrations once it has seen none pending.
    const [last] = await t
      .em()
      .execute<{ id: number; name: string }[]>(
        'select id, name from mikro_orm_migrations order by id desc limit 1',
      );
    if (!last) throw new Error('the test database has no applied migration');
    await t.em().execute('delete from mikro_orm_migrations where id = ?', [last.id]);

    const pending = await t.http.get('/health/ready').expect(503);
    expect(pending.headers['content-type']).toMatch(/^application\/json/);
    expect(pending.body).toMatchObject({
      status: 'error',
      error: { database: { status: 'down', message: 'migrations pending', pending: [last.name] } },
    });

    await t.em().execute('insert into mikro_orm_migrations (id, name) values (?, ?)', [last.id, last.name]);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(ready.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('answers liveness with 200 and touches nothing else', async () => {
    const live = await t.http.get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    expect(live.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  });
});
