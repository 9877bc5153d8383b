import { afterEach, describe, expect, it } from '@jest/globals';
import { TcpProxy } from '../utils/tcp-proxy.js';
import { freePort, startApp, waitFor } from './startup-helpers.js';

/** Neither migrations nor demo data: what is tested is the wait for the database before them. */
const QUIET_START = { MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false' };

/** The test server's URL through the proxy, with a password the logs must never show (trust auth ignores it). */
function urlWithSecret(proxy: TcpProxy): string {
  const url = new URL(proxy.url(process.env.TEST_DATABASE_ADMIN_URL ?? ''));
  url.username = 'postgres';
  url.password = 'not-for-logs';
  return url.toString();
}

describe('start-up waits for PostgreSQL', () => {
  let proxy: TcpProxy | undefined;
  let stop: (() => void) | undefined;

  afterEach(async () => {
    stop?.();
    await proxy?.close();
    stop = undefined;
    proxy = undefined;
  });

  it('retries with backoff, logging host and port only, and serves once the database comes', async () => {
    proxy = await TcpProxy.start(process.env.TEST_DATABASE_ADMIN_URL ?? '');
    await proxy.cut();
    const app = startApp({
      ...QUIET_START,
      DATABASE_URL: urlWithSecret(proxy),
      PORT: String(await freePort()),
    });
    stop = () => app.child.kill('SIGTERM');

    await waitFor(app, `waiting for PostgreSQL at 127.0.0.1:${proxy.port} (attempt 2)`);
    const cameBack = performance.now();
    await proxy.restore();
    await waitFor(app, 'API docs:');
    const servingMs = Math.round(performance.now() - cameBack);

    expect(app.output()).not.toContain('not-for-logs');
    console.info(
      `Start-up: serving ${servingMs} ms after PostgreSQL came back (it was waiting, not exiting)`,
    );
  }, 60_000);

  it('gives up after DATABASE_WAIT_SECONDS with one line, without a stack trace or the password', async () => {
    proxy = await TcpProxy.start(process.env.TEST_DATABASE_ADMIN_URL ?? '');
    await proxy.cut();
    const app = startApp({
      ...QUIET_START,
      DATABASE_URL: urlWithSecret(proxy),
      PORT: String(await freePort()),
      DATABASE_WAIT_SECONDS: '1',
    });
    stop = () => app.child.kill('SIGTERM');

    expect(await app.exited).toBe(1);
    const lines = app.output().trim().split('\n');
    expect(lines.at(-1)).toMatch(
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${proxy.port} did not answer within 1 s \\(ECONNREFUSED`),
    );
    expect(app.output()).not.toMatch(/\n\s+at |not-for-logs/);
  }, 60_000);
});
