import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { TcpProxy } from '../utils/tcp-proxy.js';

/** `src/main.ts` as `npm start` runs it (compiled by swc on the fly), its output collected. */
function startApp(env: Record<string, string>): {
  output: () => string;
  exited: Promise<number | null>;
  kill: () => void;
} {
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..', '..'),
    env: { ...inherited, LOG_LEVEL: 'info', MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
  });
  return { output: () => output, exited, kill: () => child.kill('SIGTERM') };
}

async function waitFor(app: { output: () => string }, text: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!app.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`Did not see "${text}". Output:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

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
    const app = startApp({ DATABASE_URL: urlWithSecret(proxy), PORT: String(await freePort()) });
    stop = app.kill;

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
      DATABASE_URL: urlWithSecret(proxy),
      PORT: String(await freePort()),
      DATABASE_WAIT_SECONDS: '1',
    });
    stop = app.kill;

    expect(await app.exited).toBe(1);
    const lines = app.output().trim().split('\n');
    expect(lines.at(-1)).toMatch(
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${proxy.port} did not answer within 1 s \\(ECONNREFUSED`),
    );
    expect(app.output()).not.toMatch(/\n\s+at |not-for-logs/);
  }, 60_000);
});
