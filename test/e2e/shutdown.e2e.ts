import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isRefused, openConnection } from '../utils/raw-http.js';
import {
  freePort,
  isListening,
  ROOT,
  type RunningApp,
  signIn,
  startApp,
  waitFor,
} from './startup-helpers.js';

/** The first admin the app creates from ADMIN_EMAIL / ADMIN_PASSWORD. */
const OPERATOR = { email: 'operator@clinic.example', password: 'night shift lantern quarry' };

/**
 * SIGTERM while requests are in flight: the app (a child process with its embedded PostgreSQL, as `npm start`)
 * stops accepting connections, closes the idle one, answers the busy ones with `Connection: close` (readiness
 * 503), lets them finish against a database that is still up, then stops the pool and PostgreSQL and exits 0.
 */
describe('graceful shutdown', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const started = async (
    env: Record<string, string> = {},
  ): Promise<{ app: RunningApp; port: number; databasePort: number }> => {
    await mkdir(path.join(ROOT, '.data'), { recursive: true });
    const dataDir = await mkdtemp(path.join(ROOT, '.data', 'shutdown-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [port, databasePort] = [await freePort(), await freePort()];
    const app = startApp({
      PORT: String(port),
      EMBEDDED_DATABASE_PORT: String(databasePort),
      EMBEDDED_DATABASE_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      ADMIN_EMAIL: OPERATOR.email,
      ADMIN_PASSWORD: OPERATOR.password,
      ...env,
    });
    cleanups.push(() => Promise.resolve(app.child.kill('SIGKILL')));
    await waitFor(app, 'API docs:');
    return { app, port, databasePort };
  };

  it('drains in-flight requests on SIGTERM, refuses new connections and exits 0', async () => {
    const { app, port, databasePort } = await started();

    // An idle keep-alive connection: one request answered, the connection left open.
    const idle = await openConnection(port);
    idle.send('GET /health/live HTTP/1.1\r\nHost: app\r\n\r\n');
    expect((await idle.response()).status).toBe(200);

    // A write whose body is half sent, and a readiness probe whose headers are not finished yet.
    const body = JSON.stringify({ name: 'Dr. Late Writer', email: 'late.writer@clinic.example' });
    const auth = await signIn(port, OPERATOR.email, OPERATOR.password);
    const write = await openConnection(port);
    write.send(
      'POST /api/therapists HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\n' +
        `Cookie: ${auth.Cookie}\r\nX-CSRF-Token: ${auth['X-CSRF-Token']}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    const probe = await openConnection(port);
    probe.send('GET /health/ready HTTP/1.1\r\nHost: app\r\n');
    // Nothing observable tells when the server has read those bytes (a connection it has not read from yet is
    // idle, and closed at once); a moment is plenty on loopback.
    await sleep(300);

    const signalled = Date.now();
    app.child.kill('SIGTERM');
    await waitFor(app, 'Stopped accepting connections', 5_000);
    await idle.closed();
    expect(await isRefused(port)).toBe(true);

    probe.send('\r\n');
    const ready = await probe.response();
    expect({ status: ready.status, connection: ready.headers.connection }).toEqual({
      status: 503,
      connection: 'close',
    });
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'shutting_down' });

    write.send(body.slice(10));
    const written = await write.response();
    expect({ status: written.status, connection: written.headers.connection }).toEqual({
      status: 201,
      connection: 'close',
    });

    const code = await app.exited;
    const exitMs = Date.now() - signalled;
    const inFlightFailures = [ready.status, written.status].filter(
      (status) => status !== 503 && status >= 500,
    );
    console.info(
      `Graceful shutdown: exit code ${code} ${exitMs} ms after SIGTERM, 2 requests in flight, ` +
        `${inFlightFailures.length} failed`,
    );
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(10_000);
    expect(await isListening(databasePort)).toBe(false);

    const lines = [
      'SIGTERM received: readiness answers 503',
      // The probe's headers are not complete yet: to Node it is a busy connection, not yet a request.
      'Stopped accepting connections; waiting up to 10000 ms for 1 in-flight request(s)',
      'All in-flight requests finished in',
      'Application closed, database pool released',
      'Embedded PostgreSQL stopped',
      'Shutdown complete',
    ];
    expect(lines.filter((line) => !app.output().includes(line))).toEqual([]);
    const positions = lines.map((line) => app.output().indexOf(line));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }, 90_000);

  it('closes a request that outlives SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    const { app, port, databasePort } = await started({ SHUTDOWN_TIMEOUT_MS: '1500' });
    const stuck = await openConnection(port);
    stuck.send(
      'POST /api/therapists HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    await sleep(300); // as above: let the server read the headers first

    const signalled = Date.now();
    app.child.kill('SIGTERM');
    await stuck.closed(5_000);
    const code = await app.exited;
    const exitMs = Date.now() - signalled;
    console.info(
      `Shutdown deadline 1500 ms: exit code ${code} ${exitMs} ms after SIGTERM, 1 request cut off`,
    );

    expect(code).toBe(0);
    expect(exitMs).toBeGreaterThanOrEqual(1400);
    expect(exitMs).toBeLessThan(5_000);
    expect(app.output()).toContain(
      'Shutdown deadline reached: closing the connections of 1 unfinished request(s)',
    );
    expect(app.output()).toContain('Shutdown complete');
    expect(await isListening(databasePort)).toBe(false);
  }, 90_000);
});
