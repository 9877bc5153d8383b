import 'reflect-metadata';
import { buffer } from 'node:stream/consumers';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { StartupError } from '../common/startup-error.js';
import { loadAppConfig } from '../config/app-config.js';
import { migrate, redactUrl, resolveDatabase } from '../database/database-bootstrap.js';
import { createOrmConfig } from '../database/orm.config.js';
import { Therapist } from '../therapists/therapist.entity.js';
import {
  checkPassword,
  parseTokenCreate,
  parseUserCreate,
  USAGE,
  type TokenRequest,
} from './account-arguments.js';
import { createAccount, type NewAccount } from './accounts.js';
import { issueToken } from './api-tokens.service.js';
import { User } from './user.entity.js';

/** The database's names for the rules a new account can break, as the operator should read them. */
const UNIQUE_MESSAGES: Record<string, string> = {
  staff_user_email_unique: 'An account with that e-mail already exists.',
  staff_user_therapist_unique: 'That therapist already has an account.',
};

/**
 * `npm run user:create` and `npm run token:create` (or `node dist/access/cli.js …` in the image): on the same
 * database the app would use (DATABASE_URL, or the embedded server for the duration of the command). Progress goes
 * to standard error, so standard output holds only the result: the created account's line, or the token.
 */
async function main([command, ...args]: string[]): Promise<void> {
  if (command === 'user:create') {
    const account = parseUserCreate(args);
    const password = checkPassword(await readPassword(), account);
    const user = await withDatabase((em) => createUser(em, { ...account, password }));
    console.log(`Created ${user.role} ${user.email} (id ${user.id})`);
    return;
  }
  if (command === 'token:create') {
    const request = parseTokenCreate(args);
    const secret = await withDatabase((em) => createToken(em, request));
    console.log(secret);
    return;
  }
  throw new StartupError(USAGE);
}

/**
 * The password from standard input: everything piped in, less one trailing newline; typed at a terminal, one line
 * without echo. Never printed, never logged.
 */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) return readHiddenLine(process.stdin);
  const text = (await buffer(process.stdin)).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

function readHiddenLine(stdin: NodeJS.ReadStream): Promise<string> {
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (text: string): void => {
      for (const char of text) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new StartupError('Cancelled.'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed.push(char);
      }
    };
    stdin.on('data', onData);
  });
}

async function withDatabase<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
  const log = (line: string): void => {
    console.error(line);
  };
  const database = await resolveDatabase(loadAppConfig(process.env), log);
  try {
    const orm = await MikroORM.init(createOrmConfig(database.url));
    try {
      log(`Database: ${redactUrl(database.url)}`);
      const applied = await migrate(orm);
      if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
      return await work(orm.em.fork());
    } finally {
      await orm.close();
    }
  } finally {
    await database.stop();
  }
}

async function createUser(em: EntityManager, account: NewAccount): Promise<User> {
  if (account.therapistId && !(await em.findOne(Therapist, { id: account.therapistId }))) {
    throw new StartupError(`No therapist with id ${account.therapistId}.`);
  }
  try {
    return await createAccount(em, account);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      const constraint = (error as { constraint?: string }).constraint;
      throw new StartupError(
        (constraint && UNIQUE_MESSAGES[constraint]) ?? 'An account like that already exists.',
      );
    }
    throw error;
  }
}

async function createToken(em: EntityManager, request: TokenRequest): Promise<string> {
  const user = await em.findOne(User, { email: request.email });
  if (!user) throw new StartupError(`No account with the e-mail ${request.email}.`);
  if (user.disabled) throw new StartupError(`The account ${request.email} is disabled.`);
  const { secret } = await issueToken(em, user.id, request.name, request.expiresAt);
  return secret;
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    // Database errors name the statement and its parameters (a password hash among them): the message only.
    console.error(
      error instanceof StartupError ? error.message : error instanceof Error ? error.message : error,
    );
    process.exit(1);
  },
);
