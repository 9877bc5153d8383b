// The pieces bench/scale.ts is made of: servers in their own processes, load with exact percentiles and the
// server's peak memory, pgbench on the same SQL, and the printed table.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

/** Runs the built app's account CLI (user:create, token:create) on the database; returns what it prints. */
export function appCli(databaseUrl: string, args: readonly string[], input = ''): string {
  const run = spawnSync(process.execPath, ['dist/access/cli.js', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
  });
  if (run.status !== 0) throw new Error(`cli ${args[0]} failed:\n${run.stderr}`);
  return run.stdout.trim();
}

/** A receptionist of this run and an API token of theirs, for measuring the app as its clients use it. */
export function createBenchUser(
  databaseUrl: string,
  email: string,
  password: string,
): { email: string; token: string } {
  appCli(
    databaseUrl,
    ['user:create', '--email', email, '--name', 'Bench Desk', '--role', 'receptionist'],
    password,
  );
  return { email, token: appCli(databaseUrl, ['token:create', '--email', email, '--name', 'bench']) };
}

/** The built app in production mode, started as `npm start` and the image start it (8 MB semi-spaces). */
export function startBuiltApp(databaseUrl: string, port: number): Promise<ServerProcess> {
  const env = {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    MFA_REQUIRED: 'false',
    SEED_DEMO_DATA: 'false',
    API_REQUESTS_PER_MINUTE: '1000000',
    SESSION_SECRET: process.env.SESSION_SECRET ?? `bench-session-secret-${'x'.repeat(32)}`,
  };
  const command = [process.execPath, '--max-semi-space-size=8', 'dist/start.js'];
  return startServer('app', command, env, port, '/health/ready');
}

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Starts `command` and waits until `readyPath` answers 2xx (two minutes at most). */
export async function startServer(
  name: string,
  command: readonly string[],
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath: string,
): Promise<ServerProcess> {
  const [program, ...args] = command;
  if (!program) throw new Error(`${name}: no command`);
  const child = spawn(program, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${stderr}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.ok) return { name, url, child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer ${readyPath} within 2 minutes:\n${stderr}`);
}

export async function stopServer(server: ServerProcess): Promise<void> {
  const running = (): boolean => server.child.exitCode === null && server.child.signalCode === null;
  if (!running()) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (running()) server.child.kill('SIGKILL');
}

/** Resident memory of a process in MB, from /proc (0 once it has gone). */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses that were not 2xx/3xx, and socket errors or timeouts. */
  failed: number;
  statuses: string;
  peakRssMb: number;
}

export interface Load {
  url: string;
  /** Each request's path (a fixed one, or a new one per request). */
  path: string | (() => string);
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: () => string;
  /** Whose memory to sample while the load runs. */
  pid?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** autocannon's own percentiles stop at 90/97.5: each response's time is kept instead, for exact p50/p95/p99. */
export async function runLoad(load: Load): Promise<LoadResult> {
  const latencies: number[] = [];
  let peakRssMb = rssMb(load.pid);
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(load.pid));
  }, 100);
  const path = load.path;
  const body = load.body;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${load.url}${typeof path === 'string' ? path : path()}`,
        connections: load.connections,
        duration: load.seconds,
        method: load.method ?? 'GET',
        headers: { ...(load.body ? { 'content-type': 'application/json' } : {}), ...load.headers },
        timeout: 30,
        requests:
          typeof path === 'function' || body
            ? [
                {
                  setupRequest: (request) => ({
                    ...request,
                    ...(typeof path === 'function' ? { path: path() } : {}),
                    ...(body ? { body: body() } : {}),
                  }),
                },
              ]
            : undefined,
      },
      (error, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(result);
      },
    );
  });
  instance?.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await done;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([status, { count }]) => `${String(count ?? 0)}×${status}`)
    .join(' ');
  const failed =
    result.errors +
    result.timeouts +
    Object.entries(result.statusCodeStats ?? {})
      .filter(([status]) => Number(status) >= 400)
      .reduce((sum, [, { count }]) => sum + (count ?? 0), 0);
  return {
    rps: result.requests.total / load.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    failed,
    statuses,
    peakRssMb,
  };
}

/** The machine's pgbench: on PATH, or the newest in Debian's /usr/lib/postgresql/<major>/bin. */
export function pgbenchPath(): string | null {
  if (spawnSync('pgbench', ['--version']).status === 0) return 'pgbench';
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((major) => existsSync(join(root, major, 'bin/pgbench')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin/pgbench') : null;
}

/**
 * pgbench running `script` (pgbench's script language: `\set` lines, then SQL with `:variables`) from `clients`
 * connections; the per-transaction log gives the same percentiles as the HTTP load.
 */
export function runPgbench(
  pgbench: string,
  databaseUrl: string,
  script: string,
  seconds: number,
  clients: number,
): LoadResult {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  try {
    const file = join(dir, 'script.sql');
    writeFileSync(file, script);
    const run = spawnSync(
      pgbench,
      ['-n', '-M', 'simple', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', file, '-l'],
      { env: { ...process.env, ...pgEnv(databaseUrl) }, cwd: dir, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`pgbench failed:\n${run.stderr}`);
    const latencies = readdirSync(dir)
      .filter((name) => name.startsWith('pgbench_log'))
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
      .filter(Boolean)
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    const failed = Number(/number of failed transactions: (\d+)/.exec(run.stdout)?.[1] ?? 0);
    return {
      rps: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      failed,
      statuses: '',
      peakRssMb: 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** libpq's environment for a postgres:// URL (pgbench takes no URL with -f scripts on older majors). */
function pgEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  return {
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username) || 'postgres',
    PGDATABASE: url.pathname.slice(1),
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
  };
}

/** A Markdown table, so the output pastes into the README as it is. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
