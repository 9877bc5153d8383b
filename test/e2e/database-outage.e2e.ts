import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { READY_TIMEOUT_MS } from '../../src/health/database.health.js';
import { TcpProxy } from '../utils/tcp-proxy.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The app talks to PostgreSQL through a proxy this file controls; the server itself is never stopped (others use
 * it). The app runs with the default timeouts, so the figures printed are what a deployment gets.
 */
const FROZEN_ANSWER_LIMIT_MS = 5000;
const RECOVERY_LIMIT_MS = 10_000;

interface Timed {
  status: number;
  ms: number;
}

describe('PostgreSQL outage', () => {
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;

  afterEach(async () => {
    jest.restoreAllMocks();
    // The proxy forwards again first, so the app's pool can close its connections cleanly.
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    proxy = undefined;
    t = undefined;
  });

  async function startBehindProxy(): Promise<{ app: TestApp; proxy: TcpProxy }> {
    const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? '';
    proxy = await TcpProxy.start(adminUrl);
    const through = proxy;
    t = await createTestApp({}, { connectThrough: (url) => through.url(url) });
    return { app: t, proxy: through };
  }

  async function timed(request: () => PromiseLike<{ status: number }>): Promise<Timed> {
    const started = performance.now();
    const response = await request();
    return { status: response.status, ms: Math.round(performance.now() - started) };
  }

  /** Polls until the list answers 200 again; the time from the database's return to the first success. */
  async function timeToRecover(app: TestApp): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < RECOVERY_LIMIT_MS) {
      const response = await app.http.get('/api/sessions');
      if (response.status === 200) return Math.round(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`/api/sessions did not recover within ${RECOVERY_LIMIT_MS} ms`);
  }

  it('answers 503 (problem+json with Retry-After, an HTML page, readiness down) while the server is down, logs one line per request, and recovers without a restart', async () => {
    const { app, proxy } = await startBehindProxy();
    await app.http.get('/health/ready').expect(200);
    await app.http.get('/api/sessions').expect(200);
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    await proxy.cut();

    const ready = await app.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      error: { database: { status: 'down', message: 'PostgreSQL is unavailable' } },
    });
    expect(JSON.stringify(ready.body)).not.toContain(String(proxy.port));

    errors.mockClear();
    const api = await app.http.get('/api/sessions?page=1').expect(503);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.headers['retry-after']).toBe('5');
    expect(api.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
    expect(errors).toHaveBeenCalledTimes(1);
    const [line] = errors.mock.calls[0] ?? [];
    expect(line).toMatch(/^GET \/api\/sessions: database unavailable \((ECONNREFUSED|Connection terminated)/);
    expect(line).not.toMatch(/\n|page=1/);

    const page = await app.http.get('/sessions').set('Accept', 'text/html').expect(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['retry-after']).toBe('5');
    expect(page.text).toContain('Temporarily unavailable');
    expect(page.text).toContain('<nav'); // in the site layout, not a bare error

    await proxy.restore();
    const recoveryMs = await timeToRecover(app);
    await app.http.get('/health/ready').expect(200);
    console.info(`Database refused: recovered ${recoveryMs} ms after it came back, without a restart`);
  });

  it('answers 503 within the configured timeouts while the server is frozen, and recovers without a restart', async () => {
    const { app, proxy } = await startBehindProxy();
    // Warm the pool, so the frozen server meets both pooled connections (statement timeout) and new ones
    // (connect timeout).
    await Promise.all([1, 2, 3].map(() => app.http.get('/api/sessions').expect(200)));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    proxy.pause();

    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => timed(() => app.http.get('/api/sessions'))),
      timed(() => app.http.get('/sessions').set('Accept', 'text/html')),
      timed(() => app.http.post('/api/therapists').send({ name: 'Frozen Out', email: 'frozen@example.com' })),
    ]);
    const readiness = await timed(() => app.http.get('/health/ready'));

    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 503));
    const slowest = Math.max(...answers.map((answer) => answer.ms));
    expect(slowest).toBeLessThan(FROZEN_ANSWER_LIMIT_MS);
    expect(readiness.status).toBe(503);
    expect(readiness.ms).toBeLessThan(READY_TIMEOUT_MS + 500);

    await proxy.restore();
    const recoveryMs = await timeToRecover(app);
    await app.http.get('/health/ready').expect(200);
    console.info(
      `Database frozen: ${answers.length} requests answered 503 in ${Math.min(...answers.map((a) => a.ms))}–${slowest} ms ` +
        `(limit ${FROZEN_ANSWER_LIMIT_MS} ms), readiness 503 in ${readiness.ms} ms; ` +
        `recovered ${recoveryMs} ms after it came back, without a restart`,
    );
  });
});
