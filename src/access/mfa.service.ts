import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/app-config.js';
import { notFoundProblem, ProblemException } from '../common/problems/problem.exception.js';
import { Clock } from '../common/time/clock.js';
import { MfaRecoveryCodeRepository } from './mfa-recovery-code.repository.js';
import { MfaSecretCipher } from './mfa-secret-cipher.js';
import { RateLimits } from './rate-limits.js';
import type { Role } from './roles.js';
import {
  hashRecoveryCode,
  matchingStep,
  mfaRequiredFor,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  TOTP_CODE,
} from './totp.js';
import type { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';

/** Why a code was not accepted, in words for the person who typed it. */
export type CodeRefusal =
  { kind: 'invalid'; message: string } | { kind: 'too-many'; message: string; retryAfterSeconds: number };

export type CodeCheck<T> = { ok: true; value: T } | { ok: false; refusal: CodeRefusal };

export interface MfaStatus {
  enrolled: boolean;
  enabledAt: Date | null;
  /** MFA_REQUIRED applies to this user's role: they may not turn it off. */
  required: boolean;
  /** An enrolment started and not yet confirmed: what the authenticator app needs. */
  pending?: { secret: string; uri: string };
  recoveryCodesLeft: number;
}

const WRONG_CODE = 'That code is not right. Enter the 6-digit code your authenticator app shows now.';
const WRONG_CODE_OR_RECOVERY =
  'That code is not right. Enter the 6-digit code your authenticator app shows now, or an unused recovery code.';

/**
 * Two-factor sign-in with TOTP: enrolment (a secret, confirmed by a first code, and ten recovery codes shown
 * once), checking a code at sign-in, turning it off, and an admin's reset. Every code check is rate-limited per
 * account, accepts one time step of clock drift either way, and refuses a code whose step was already used.
 */
@Injectable()
export class MfaService {
  private readonly required: boolean;
  private readonly issuer: string;

  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly recoveryCodes: MfaRecoveryCodeRepository,
    private readonly cipher: MfaSecretCipher,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.required = config.get('access', { infer: true }).mfaRequired;
    this.issuer = config.get('clinicName', { infer: true });
  }

  isRequiredFor(role: Role): boolean {
    return mfaRequiredFor(role, this.required);
  }

  /** Whether the password step must be followed by a code: the account has a confirmed second factor. */
  isEnrolled(user: User): boolean {
    return user.mfaEnabledAt !== null;
  }

  async status(userId: number): Promise<MfaStatus> {
    const user = await this.userWithSecret(userId);
    const enrolled = this.isEnrolled(user);
    const secret = !enrolled && user.mfaSecret ? this.cipher.decrypt(user.id, user.mfaSecret) : undefined;
    return {
      enrolled,
      enabledAt: user.mfaEnabledAt,
      required: this.isRequiredFor(user.role),
      // The secret is shown only while the enrolment waits for its first code, never once it is confirmed.
      pending:
        secret === undefined ? undefined : { secret, uri: otpauthUri(secret, this.issuer, user.email) },
      recoveryCodesLeft: enrolled ? await this.recoveryCodes.countUnused(user.id) : 0,
    };
  }

  /** A new secret for the user's authenticator app; starting again replaces one not yet confirmed. */
  async startEnrolment(userId: number): Promise<void> {
    const user = await this.userWithSecret(userId);
    if (this.isEnrolled(user)) throw alreadyOn();
    await this.users.setPendingMfaSecret(user.id, this.cipher.encrypt(user.id, newTotpSecret()));
  }

  /** The first code from the app proves it holds the secret: two-factor sign-in is on; the recovery codes. */
  async confirmEnrolment(userId: number, code: string): Promise<CodeCheck<string[]>> {
    const user = await this.userWithSecret(userId);
    if (this.isEnrolled(user)) throw alreadyOn();
    const stored = user.mfaSecret;
    const secret = stored ? this.cipher.decrypt(user.id, stored) : undefined;
    if (!stored || secret === undefined) {
      return refused('Start the set-up first: it shows the QR code your app needs.');
    }
    return this.limited(user.id, async () => {
      const step = matchingStep(secret, code.trim(), this.clock.now());
      if (step === null) return this.codeFailed(user.id, WRONG_CODE);
      return this.enrolmentConfirmed(user.id, stored, step);
    });
  }

  /** The sign-in's second step: a code from the app, or one of the recovery codes (spent by this use). */
  async verifySignIn(userId: number, code: string): Promise<CodeCheck<User>> {
    const user = await this.userWithSecret(userId);
    if (user.disabled || !this.isEnrolled(user)) return refused(WRONG_CODE_OR_RECOVERY);
    const check = await this.limited(user.id, () => this.verifyCode(user, code));
    if (check.ok) return { ok: true, value: user };
    const reason = check.refusal.kind === 'too-many' ? 'rate_limited' : 'mfa_failed';
    await this.audit.recordSignInFailure(reason, user.email, user.id);
    return check;
  }

  /** Ten new recovery codes, the old ones void; needs a current code (from the app, or a recovery code). */
  async regenerateRecoveryCodes(userId: number, code: string): Promise<CodeCheck<string[]>> {
    const user = await this.enrolledUser(userId);
    return this.limited(user.id, async () => {
      const check = await this.verifyCode(user, code);
      if (!check.ok) return check;
      return { ok: true, value: await this.issueRecoveryCodes(user.id) };
    });
  }

  /** The user's own choice to turn it off (with a current code); refused where their role requires it. */
  async disable(userId: number, code: string): Promise<CodeCheck<null>> {
    const user = await this.enrolledUser(userId);
    if (this.isRequiredFor(user.role)) {
      throw new ProblemException('forbidden', 'Two-factor sign-in is required for your role: it stays on.');
    }
    return this.limited(user.id, async () => {
      const check = await this.verifyCode(user, code);
      if (!check.ok) return check;
      await this.clear(user.id);
      await this.recordReset(user.id, 'user');
      return { ok: true, value: null };
    });
  }

  /**
   * An admin's reset (a lost phone): the secret and recovery codes go; the user signs in with their password
   * alone and, where their role requires it, must enrol again.
   */
  async resetByAdmin(userId: number): Promise<void> {
    await this.userWithSecret(userId);
    await this.clear(userId);
    await this.recordReset(userId, 'admin');
  }

  private recordReset(userId: number, by: 'admin' | 'user'): Promise<void> {
    return this.audit.record({
      action: 'auth.mfa_reset',
      recordType: 'user',
      recordId: userId,
      detail: { by },
    });
  }

  /** A six-digit code from the app, not used before; or else an unused recovery code. */
  private async verifyCode(user: User, input: string): Promise<CodeCheck<null>> {
    const code = input.trim();
    if (TOTP_CODE.test(code)) {
      const secret = user.mfaSecret ? this.cipher.decrypt(user.id, user.mfaSecret) : undefined;
      const step = secret === undefined ? null : matchingStep(secret, code, this.clock.now());
      if (step === null) return this.codeFailed(user.id, WRONG_CODE_OR_RECOVERY);
      if (!(await this.users.claimMfaStep(user.id, step))) {
        return this.codeFailed(
          user.id,
          'That code has been used already. Wait for the next one, then enter it.',
        );
      }
      return { ok: true, value: null };
    }
    if (code !== '' && (await this.redeemRecoveryCode(user.id, code))) {
      // Before sign-in the request has no actor yet: the account whose code it was is the one acting.
      await this.audit.record({
        action: 'auth.recovery_code_used',
        actor: { userId: user.id, tokenId: null },
        recordType: 'user',
        recordId: user.id,
      });
      return { ok: true, value: null };
    }
    return this.codeFailed(user.id, WRONG_CODE_OR_RECOVERY);
  }

  /** True when the code was the user's and unused; it is spent now. */
  private redeemRecoveryCode(userId: number, code: string): Promise<boolean> {
    return this.recoveryCodes.redeem(userId, hashRecoveryCode(code), this.clock.now());
  }

  /** A code (or recovery code) that failed, for whatever reason the message gives. */
  private codeFailed(_userId: number, message: string): { ok: false; refusal: CodeRefusal } {
    return refused(message);
  }

  /** Counts the check before it runs (parallel guesses cannot slip past) and gives back one that succeeds. */
  private async limited<T>(userId: number, check: () => Promise<CodeCheck<T>>): Promise<CodeCheck<T>> {
    const refusal = await this.rateLimits.mfaCodeAttempt(userId);
    if (refusal) {
      const seconds = refusal.retryAfterSeconds;
      return {
        ok: false,
        refusal: {
          kind: 'too-many',
          retryAfterSeconds: seconds,
          message: `Too many codes tried for this account. Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, then try again.`,
        },
      };
    }
    const result = await check();
    if (result.ok) await this.rateLimits.mfaCodeSucceeded(userId);
    return result;
  }

  /**
   * Turns it on for exactly the secret the page showed (an enrolment
   * restarted in another tab meanwhile is not confirmed) and issues the first recovery codes.
   */
  private enrolmentConfirmed(userId: number, stored: string, step: number): Promise<CodeCheck<string[]>> {
    return this.em.transactional(async () => {
      if (!(await this.users.enableMfa(userId, stored, step, this.clock.now()))) {
        return this.codeFailed(userId, 'The set-up was restarted meanwhile: scan the new QR code.');
      }
      const codes = await this.issueRecoveryCodes(userId);
      await this.audit.record({ action: 'auth.mfa_enrolled', recordType: 'user', recordId: userId });
      return { ok: true as const, value: codes };
    });
  }

  /** Ten new codes; every earlier one, used or not, stops working. */
  private async issueRecoveryCodes(userId: number): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.recoveryCodes.replaceFor(userId, codes.map(hashRecoveryCode));
    return codes;
  }

  private async clear(userId: number): Promise<void> {
    await this.em.transactional(async () => {
      await this.recoveryCodes.deleteAllOf(userId);
      await this.users.clearMfa(userId);
    });
  }

  private async userWithSecret(userId: number): Promise<User> {
    const user = await this.users.findWithMfaSecret(userId);
    if (!user) throw notFoundProblem(`User ${userId} does not exist.`);
    return user;
  }

  private async enrolledUser(userId: number): Promise<User> {
    const user = await this.userWithSecret(userId);
    if (!this.isEnrolled(user)) {
      throw new ProblemException('conflict', 'Two-factor sign-in is off for this account: set it up first.');
    }
    return user;
  }
}

const refused = (message: string): { ok: false; refusal: CodeRefusal } => ({
  ok: false,
  refusal: { kind: 'invalid', message },
});

const alreadyOn = (): ProblemException =>
  new ProblemException('conflict', 'Two-factor sign-in is already on for this account.');
