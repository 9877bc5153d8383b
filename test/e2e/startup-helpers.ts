import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { DEMO_ACCOUNTS } from '../../src/access/accounts.js';
import { csrfTokenIn } from '../utils/sign-in.js';

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

/** Headers that act as a signed-in browser: the session cookie and its CSRF token. */
export type SignedIn = Record<'Cookie' | 'X-CSRF-Token', string>;

const cookiesOf = (response: Response): string =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');

/** Signs in through the sign-in form over real HTTP, as a browser would. */
export async function signIn(port: number, email: string, password: string): Promise<SignedIn> {
  const base = `http://127.0.0.1:${port}`;
  const form = await fetch(`${base}/login`);
  const csrf = cookiesOf(form);
  const signedIn = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: csrfTokenIn(await form.text()) }),
  });
  if (signedIn.status !== 303) throw new Error(`Sign-in as ${email} answered ${signedIn.status}`);
  const session = cookiesOf(signedIn);
  // The form's token was bound to no session; the signed-in session gets a new one, and a new cookie with it.
  const page = await fetch(`${base}/login`, { headers: { Cookie: `${csrf}; ${session}` } });
  return { Cookie: `${cookiesOf(page)}; ${session}`, 'X-CSRF-Token': csrfTokenIn(await page.text()) };
}

/** The demo admin that the embedded demo mode seeds (README: Users and access). */
export const DEMO_ADMIN = DEMO_ACCOUNTS[0];

export async function totalSessions(port: number): Promise<number> {
  const auth = await signIn(port, DEMO_ADMIN.email, DEMO_ADMIN.password);
  const response = await fetch(`http://127.0.0.1:${port}/api/sessions?page_size=1`, { headers: auth });
  if (response.status !== 200) throw new Error(`GET /api/sessions answered ${response.status}`);
  const list = (await response.json()) as { meta: { total: number } };
  return list.meta.total;
}
