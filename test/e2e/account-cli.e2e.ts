import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { ApiToken } from '../../src/access/api-token.entity.js';
import { hashToken } from '../../src/access/authentication.service.js';
import { MIN_PASSWORD_LENGTH, verifyPassword } from '../../src/access/passwords.js';
import { User } from '../../src/access/user.entity.js';
import { createTherapist } from '../utils/factories.js';
import { createTestUser, signInAs } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { ROOT } from './startup-helpers.js';

/**
 * `npm run user:create` and `npm run token:create` as the operator runs them: `src/access/cli.ts` as a child
 * process on this suite's database, the password piped to standard input; the results are used through the app.
 */
interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let t: TestApp;

function runCli(args: string[], stdin = ''): Promise<CliResult> {
  // The child must not inherit Jest's VM-modules flag; DATABASE_URL is this suite's database.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test' };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'src/access/cli.ts', ...args],
    { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';
const newEmail = (): string => `cli-${randomBytes(4).toString('hex')}@staff.example`;
const PASSWORD = 'a long enough pass phrase';
/** Each command compiles its TypeScript on start (a few seconds); the refusal tests run several at once. */
const MANY_COMMANDS_MS = 180_000;

/** Exit 1 with the message as the last line of standard error, nothing on standard output, no password shown. */
function expectRefused(result: CliResult, message: string | RegExp): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
  expect(lastLine(result.stderr)).toMatch(message);
  expect(result.stderr).not.toContain(PASSWORD);
}

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('user:create', () => {
  it('creates an account from the piped password, which then signs in', async () => {
    const email = newEmail();
    const result = await runCli(
      ['user:create', '--email', email.toUpperCase(), '--name', 'Rhea Reception', '--role', 'receptionist'],
      `${PASSWORD}\n`,
    );
    const user = await t.em().findOneOrFail(User, { email });
    expect(result).toMatchObject({ code: 0, stdout: `Created receptionist ${email} (id ${user.id})\n` });
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(user).toMatchObject({ name: 'Rhea Reception', role: 'receptionist', mustChangePassword: false });
    const agent = await signInAs(t.app.getHttpServer(), email, PASSWORD);
    await agent.get('/api/sessions').expect(200);
  });

  it('links a therapist account to its therapist, and refuses a second account for that therapist', async () => {
    const therapist = await createTherapist(t.em());
    const email = newEmail();
    const args = ['--name', therapist.name, '--role', 'therapist', '--therapist-id', String(therapist.id)];
    const created = await runCli(['user:create', '--email', email, ...args], `${PASSWORD}\n`);
    expect(created.code).toBe(0);
    expect(lastLine(created.stdout)).toMatch(new RegExp(`^Created therapist ${email} \\(id \\d+\\)$`));
    const user = await t.em().findOneOrFail(User, { email });
    expect(user.therapist?.id).toBe(therapist.id);
    await signInAs(t.app.getHttpServer(), email, PASSWORD);

    const second = await runCli(['user:create', '--email', newEmail(), ...args], `${PASSWORD}\n`);
    expectRefused(second, /^That therapist already has an account\.$/);
  });

  it('keeps a password exactly as piped, less one trailing newline', async () => {
    const email = newEmail();
    const password = '  spaces and a newline \n';
    const result = await runCli(
      ['user:create', '--email', email, '--name', 'N', '--role', 'admin'],
      `${password}\n`,
    );
    expect(result.code).toBe(0);
    const user = await t.em().getRepository(User).findForSignIn(email);
    expect(await verifyPassword(user?.passwordHash, password)).toBe(true);
    expect(await verifyPassword(user?.passwordHash, password.trimEnd())).toBe(false);
  });

  it(
    'refuses a short, weak or personal password and an unknown therapist with one line and exit 1, creating nobody',
    async () => {
      // Every argument's own refusal is in src/access/account-arguments.spec.ts; these prove the command's exit.
      const email = newEmail();
      const base = ['user:create', '--email', email, '--name', 'Nobody Special'];
      const [short, weak, personal, unknownTherapist] = await Promise.all([
        runCli([...base, '--role', 'admin'], `${'x'.repeat(MIN_PASSWORD_LENGTH - 1)}\n`),
        runCli([...base, '--role', 'admin'], 'password1234\n'),
        runCli([...base, '--role', 'admin'], 'special agent of the night\n'),
        runCli([...base, '--role', 'therapist', '--therapist-id', '987654'], PASSWORD),
      ]);
      expectRefused(short, /^The password is refused: Use at least 12 characters\.$/);
      expectRefused(weak, /^The password is refused: This password is too easy to guess\. /);
      expectRefused(personal, /^The password is refused: Leave your e-mail address and your name out/);
      expect(weak.stderr).not.toContain('password1234');
      expectRefused(unknownTherapist, /^No therapist with id 987654\.$/);
      expect(await t.em().count(User, { email })).toBe(0);
    },
    MANY_COMMANDS_MS,
  );

  it('refuses an e-mail that is taken, whatever its case', async () => {
    const existing = await createTestUser(t.em(), 'admin');
    const result = await runCli(
      ['user:create', '--email', existing.email.toUpperCase(), '--name', 'Again', '--role', 'admin'],
      `${PASSWORD}\n`,
    );
    expectRefused(result, /^An account with that e-mail already exists\.$/);
    expect(await t.em().count(User, { email: existing.email })).toBe(1);
  });
});

describe('token:create', () => {
  it('prints a token on the last line that works as a bearer token and is stored only as its hash', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    const result = await runCli([
      'token:create',
      '--email',
      user.email,
      '--name',
      'billing export',
      '--expires-at',
      '2999-01-31T12:00:00+01:00',
    ]);
    expect(result.code).toBe(0);
    const token = lastLine(result.stdout);
    expect(token).toMatch(/^tsm_[\w-]{43}$/);
    await supertest(t.app.getHttpServer())
      .get('/api/sessions')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);

    const rows = await t
      .em()
      .getConnection()
      .execute<{ name: string; token_hash: string; expiry_ok: boolean; row: string }[]>(
        `select name, token_hash, expires_at = '2999-01-31T11:00:00Z' as expiry_ok, api_token::text as row
         from api_token where user_id = ?`,
        [user.id],
      );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'billing export', token_hash: hashToken(token), expiry_ok: true });
    expect(rows[0]?.row).not.toContain(token.slice(4));
  });

  it(
    'refuses an unknown or disabled user with one line and exit 1',
    async () => {
      const disabled = await createTestUser(t.em(), 'receptionist');
      await t.em().nativeUpdate(User, { id: disabled.id }, { disabled: true });
      const [unknown, off] = await Promise.all([
        runCli(['token:create', '--email', 'nobody@staff.example', '--name', 'x']),
        runCli(['token:create', '--email', disabled.email, '--name', 'x']),
      ]);
      expectRefused(unknown, /^No account with the e-mail nobody@staff\.example\.$/);
      expectRefused(off, new RegExp(`^The account ${disabled.email} is disabled\\.$`));
      expect(await t.em().count(ApiToken, { user: disabled.id })).toBe(0);
    },
    MANY_COMMANDS_MS,
  );
});
