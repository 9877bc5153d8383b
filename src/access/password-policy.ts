import { randomBytes } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.js';

/** zxcvbn's 0–4 scale: 3 is "safely unguessable" (about 10^10 guesses), enough behind argon2id and rate limits. */
export const MIN_PASSWORD_SCORE = 3;

/** Who the password is for: their e-mail address and name must not be in it. */
export interface PasswordOwner {
  email: string;
  name: string;
}

/**
 * Name and e-mail pieces this short are parts of too many ordinary words to refuse ("Al", "Jo"); zxcvbn still
 * counts them against the score.
 */
const MIN_PERSONAL_PIECE = 3;

/** Building the ranked dictionaries takes about a quarter of a second: once, at the first password checked. */
let estimator: ZxcvbnFactory | undefined;
const strengthEstimator = (): ZxcvbnFactory =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
  }));

/** Lower case letters and digits only, accents dropped: "Zoë O'Neil" and "zoe-oneil" compare equal. */
const compact = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** The e-mail address, its local part, the whole name, and each word of either. */
function personalPieces(owner: PasswordOwner): string[] {
  const email = owner.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const words = [...local.split(/[^\p{L}\p{N}]+/u), ...owner.name.split(/[^\p{L}\p{N}]+/u)];
  return [email, local, owner.name, ...words].filter((piece) => compact(piece).length >= MIN_PERSONAL_PIECE);
}

/**
 * The one password rule, for every place a password is set (own change, an admin's new user or reset, the CLI,
 * the first admin): 12–256 characters, none of the owner's e-mail address or name, and a zxcvbn score of at least
 * 3 with that e-mail and name counted as known words. Answers why a password is refused, in words for the person
 * choosing it; undefined when it is accepted.
 */
export function passwordProblem(password: string, owner: PasswordOwner): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const pieces = personalPieces(owner);
  const compacted = compact(password);
  if (pieces.some((piece) => compacted.includes(compact(piece)))) {
    return 'Leave your e-mail address and your name out of your password.';
  }
  const { score, feedback } = strengthEstimator().check(password, pieces);
  if (score >= MIN_PASSWORD_SCORE) return undefined;
  const advice = [feedback.warning ?? '', ...feedback.suggestions].filter((text) => text !== '');
  return ['This password is too easy to guess.', ...(advice.length ? advice : ['Add a few uncommon words.'])]
    .map((sentence) => (/[.!?]$/.test(sentence) ? sentence : `${sentence}.`))
    .join(' ');
}

/**
 * A temporary password an admin's reset hands out: 16 random characters (96 bits), which the rule accepts unless
 * they happen to spell the owner's name; then another is drawn.
 */
export function generateTemporaryPassword(owner: PasswordOwner): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (passwordProblem(password, owner) === undefined) return password;
  }
}
