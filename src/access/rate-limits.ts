import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { type Allowance, type RateLimit, RateLimitStore } from './rate-limit.store.js';

/** A refused sign-in attempt: how long until the next one is counted again. */
export interface SignInRefusal {
  retryAfterSeconds: number;
}

/**
 * The rate limits of issue 9, counted in PostgreSQL so that they hold across instances:
 *
 * - Sign-in: SIGN_IN_ATTEMPTS_PER_MINUTE per client address and per account. An attempt is counted before the
 *   password is checked (so a burst of parallel guesses cannot slip past the check), and given back when it
 *   succeeds: only failures use up the allowance. A practice whose staff share one address (an office NAT, or a
 *   proxy on another host, which `trust proxy` does not look through) can then sign in all at once at nine
 *   o'clock, while a guesser still gets five tries a minute, per address and per account.
 * - API: API_REQUESTS_PER_MINUTE per token, every request with the token counted.
 * - Two-factor codes: SIGN_IN_ATTEMPTS_PER_MINUTE failed codes per account, counted and given back as sign-ins.
 */
@Injectable()
export class RateLimits {
  private readonly signInPerAddress: RateLimit;
  private readonly signInPerAccount: RateLimit;
  private readonly apiPerToken: RateLimit;
  private readonly mfaCodePerAccount: RateLimit;
  private readonly accountKeySecret: string;

  constructor(store: RateLimitStore, config: ConfigService<AppConfig, true>) {
    const access = config.get('access', { infer: true });
    const window = access.rateLimitWindowSeconds;
    this.signInPerAddress = store.define('sign-in-address', access.signInAttemptsPerMinute, window);
    this.signInPerAccount = store.define('sign-in-account', access.signInAttemptsPerMinute, window);
    this.apiPerToken = store.define('api-token', access.apiRequestsPerMinute, window);
    this.mfaCodePerAccount = store.define('mfa-code', access.signInAttemptsPerMinute, window);
    this.accountKeySecret = access.sessionSecret;
  }

  /** Counts a sign-in attempt; a refusal when the address or the account has used up its attempts. */
  async signInAttempt(address: string | undefined, email: string): Promise<SignInRefusal | undefined> {
    const account = this.accountKey(email);
    const results = await Promise.all([
      this.signInPerAddress.consume(addressKey(address)),
      ...(account === undefined ? [] : [this.signInPerAccount.consume(account)]),
    ]);
    const refused = results.filter((result) => !result.allowed);
    if (refused.length === 0) return undefined;
    return { retryAfterSeconds: Math.max(...refused.map((result) => result.resetSeconds)) };
  }

  /** A sign-in that succeeded is not held against its address or account. */
  async signInSucceeded(address: string | undefined, email: string): Promise<void> {
    const account = this.accountKey(email);
    await Promise.all([
      this.signInPerAddress.refund(addressKey(address)),
      ...(account === undefined ? [] : [this.signInPerAccount.refund(account)]),
    ]);
  }

  /**
   * Counts a check of a two-factor code (or recovery code) for this account, before it is made, as for
   * passwords; a refusal once the account has used up its attempts. Only failures use them up (see below).
   */
  async mfaCodeAttempt(userId: number): Promise<SignInRefusal | undefined> {
    const result = await this.mfaCodePerAccount.consume(String(userId));
    return result.allowed ? undefined : { retryAfterSeconds: result.resetSeconds };
  }

  async mfaCodeSucceeded(userId: number): Promise<void> {
    await this.mfaCodePerAccount.refund(String(userId));
  }

  /**
   * Counts a request made with an API token and says so in the RateLimit headers; over the limit, a 429 problem
   * with `Retry-After`.
   */
  async enforceApiLimit(tokenId: number, response: Response): Promise<void> {
    const allowance = await this.apiPerToken.consume(String(tokenId));
    const headers = rateLimitHeaders(allowance);
    if (allowance.allowed) {
      response.set(headers);
      return;
    }
    throw new ProblemException(
      'too-many-requests',
      `This API token has made more than ${allowance.limit} requests within a minute. ` +
        `Retry in ${allowance.resetSeconds} seconds.`,
      { headers: { ...headers, 'Retry-After': String(allowance.resetSeconds) } },
    );
  }

  /**
   * The account as a keyed hash of its lower-cased e-mail: the counters table (and anything that logs its keys)
   * never holds an address. Unknown and known e-mails are counted alike, so a refusal reveals no account.
   */
  private accountKey(email: string): string | undefined {
    const normalised = email.trim().toLowerCase();
    if (!normalised) return undefined;
    return createHmac('sha256', this.accountKeySecret).update(normalised).digest('base64url');
  }
}

/** The draft IETF RateLimit header fields (as express-rate-limit's `draft-6`), cheap to send on every answer. */
const rateLimitHeaders = (allowance: Allowance): Record<string, string> => ({
  'RateLimit-Limit': String(allowance.limit),
  'RateLimit-Remaining': String(allowance.remaining),
  'RateLimit-Reset': String(allowance.resetSeconds),
});

/**
 * The client's address as a counter key. An IPv6 client usually holds a whole /64, so that prefix is counted as
 * one client; an IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [withoutZone = address] = address.split('%');
  if (!isIPv6(withoutZone)) return address;
  const [head = '', tail] = withoutZone.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
