import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** Shared by the start-up suites (startup.e2e.ts, startup-anywhere.e2e.ts): the app as a child process. */
export interface RunningApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Starts `src/start.ts` (the entry, which checks the Node.js version and loads main.ts) as `npm start` would
 * (compiled on the fly by swc instead of `nest build`), with the environment of a machine that has no
 * DATABASE_URL: the app must bring up its own PostgreSQL. `cwd` is the project directory.
 */
export function startApp(env: Record<string, string>, cwd = ROOT): RunningApp {
  // The child must not inherit the test run's database or Jest's VM-modules flag.
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/start.ts'], {
    cwd,
    env: { ...inherited, LOG_LEVEL: 'info', ...env },
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
  return { child, output: () => output, exited };
}

export async function waitFor(app: RunningApp, text: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!app.output().includes(text)) {
    if (Date.now() > deadline || app.child.exitCode !== null) {
      throw new Error(`Did not see "${text}". Output:\n${app.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

export async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(true);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(false);
      });
    });
  });
}

export async function totalSessions(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/sessions?page_size=1`);
  if (response.status !== 200) throw new Error(`GET /api/sessions answered ${response.status}`);
  const list = (await response.json()) as { meta: { total: number } };
  return list.meta.total;
}
