import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { isEmail } from 'class-validator';
import { isError } from '../common/errors.js';
import { StartupError } from '../common/startup-error.js';
import { INSTANT_FORMAT_HINT, parseInstant } from '../common/validation/decorators.js';
import type { NewAccount } from './accounts.js';
import { passwordProblem, type PasswordOwner } from './password-policy.js';
import { ROLES, type Role } from './roles.js';

/** What `user:create` and `token:create` accept, checked before any database work (see cli.ts). */
export const USAGE = [
  'Usage: user:create --email <e-mail> --name <name> --role admin|receptionist|therapist [--therapist-id <id>]',
  '         (the password is read from standard input)',
  '       token:create --email <e-mail> --name <token name> [--expires-at <ISO date-time>]',
].join('\n');

/** The same rule as every other place a password is set (password-policy.ts), said in one line. */
export function checkPassword(password: string, owner: PasswordOwner): string {
  const problem = passwordProblem(password, owner);
  if (problem) throw new StartupError(`The password is refused: ${problem}`);
  return password;
}

function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new StartupError(isError(error) ? error.message : String(error));
  }
}

function required(value: string | undefined, option: string): string {
  const trimmed = value?.trim();
  if (!trimmed) throw new StartupError(`--${option} is required.`);
  return trimmed;
}

function email(value: string | undefined): string {
  const address = required(value, 'email').toLowerCase();
  if (address.length > 254 || !isEmail(address)) throw new StartupError(`Not an e-mail address: ${address}`);
  return address;
}

function name(value: string | undefined, maxLength: number): string {
  const text = required(value, 'name');
  if (text.length > maxLength) throw new StartupError(`--name must be at most ${maxLength} characters.`);
  return text;
}

export function parseUserCreate(args: string[]): Omit<NewAccount, 'password'> {
  const values = parse(args, {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    'therapist-id': { type: 'string' },
  });
  const role = required(values.role, 'role');
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new StartupError(`Unknown role "${role}": use one of ${ROLES.join(', ')}.`);
  }
  const therapistOption = values['therapist-id'];
  if (role === 'therapist' && therapistOption === undefined) {
    throw new StartupError('A therapist account needs --therapist-id <the therapist it belongs to>.');
  }
  if (role !== 'therapist' && therapistOption !== undefined) {
    throw new StartupError(`--therapist-id is only for the therapist role, not ${role}.`);
  }
  let therapistId: number | null = null;
  if (therapistOption !== undefined) {
    therapistId = /^[1-9]\d{0,9}$/.test(therapistOption) ? Number(therapistOption) : NaN;
    if (!Number.isSafeInteger(therapistId) || therapistId > 2_147_483_647) {
      throw new StartupError(`--therapist-id must be a positive whole number, not "${therapistOption}".`);
    }
  }
  return { email: email(values.email), name: name(values.name, 200), role: role as Role, therapistId };
}

export interface TokenRequest {
  email: string;
  name: string;
  expiresAt: Date | null;
}

export function parseTokenCreate(args: string[]): TokenRequest {
  const values = parse(args, {
    email: { type: 'string' },
    name: { type: 'string' },
    'expires-at': { type: 'string' },
  });
  let expiresAt: Date | null = null;
  const expiry = values['expires-at'];
  if (expiry !== undefined) {
    expiresAt = parseInstant(expiry) ?? null;
    if (!expiresAt) throw new StartupError(`--expires-at must be ${INSTANT_FORMAT_HINT}, not "${expiry}".`);
    if (expiresAt.getTime() <= Date.now()) throw new StartupError(`--expires-at ${expiry} is in the past.`);
  }
  return { email: email(values.email), name: name(values.name, 100), expiresAt };
}
