import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import type { AppConfig } from '../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/time/clock.js';
import { MAX_USER_AGENT } from './actor-context.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Actor } from './roles.js';
import { mfaRequiredFor } from './totp.js';
import type { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';
import { saveSession } from './session-data.js';

/** How a single sign-on session signed in (`SessionData.signInMethod`). */
export const SSO_METHOD = 'sso';

/** Only the SHA-256 of a token is stored: a leaked table holds nothing that signs in. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Saving the session for each request would be a write per click: the last-seen time moves once a minute. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export const actorOf = (user: User, tokenId: number | null = null): Actor => ({
  userId: user.id,
  name: user.name,
  role: user.role,
  therapistId: user.therapist?.id ?? null,
  tokenId,
  mustChangePassword: tokenId === null && user.mustChangePassword,
});

/** Who is asking: from a bearer token or a signed-in session; undefined when neither holds. */
@Injectable()
export class AuthenticationService {
  private readonly idleTimeoutMs: number;
  private readonly absoluteLifetimeMs: number;
  private readonly mfaRequired: boolean;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: ApiTokenRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    config: ConfigService<AppConfig, true>,
  ) {
    const access = config.get('access', { infer: true });
    this.idleTimeoutMs = access.idleTimeoutMs;
    this.absoluteLifetimeMs = access.absoluteLifetimeMs;
    this.mfaRequired = access.mfaRequired;
  }

  /**
   * The oldest sign-in and last request a session may have and still be in force (SESSION_ABSOLUTE_HOURS,
   * SESSION_IDLE_MINUTES): the one rule, for this service's check and for listing a user's sign-ins.
   */
  sessionsFreshSince(now: number): { signedInSince: number; lastSeenSince: number } {
    return { signedInSince: now - this.absoluteLifetimeMs, lastSeenSince: now - this.idleTimeoutMs };
  }

  async actorFromToken(token: string): Promise<Actor | undefined> {
    const now = this.clock.now();
    const found = await this.tokens.findUsable(hashToken(token), now);
    if (!found) return undefined;
    await this.tokens.touch(found.id, now);
    return actorOf(found.user.getEntity(), found.id);
  }

  /** The session's user while it is fresh and the account enabled; an expired session is ended here. */
  async actorFromSession(session: Session & Partial<SessionData>): Promise<Actor | undefined> {
    const { userId, signedInAt, lastSeenAt } = session;
    if (userId === undefined || signedInAt === undefined || lastSeenAt === undefined) return undefined;
    const now = this.clock.now().getTime();
    const fresh = this.sessionsFreshSince(now);
    if (signedInAt < fresh.signedInSince || lastSeenAt < fresh.lastSeenSince) {
      await this.audit.record({
        action: 'auth.session_expired',
        actor: { userId, tokenId: null },
        recordType: 'user',
        recordId: userId,
        detail: { reason: signedInAt < fresh.signedInSince ? 'absolute_lifetime' : 'idle' },
      });
      await new Promise<void>((resolve) =>
        session.destroy(() => {
          resolve();
        }),
      );
      return undefined;
    }
    const user = await this.users.findOne({ id: userId, disabled: false });
    if (!user) return undefined;
    if (now - lastSeenAt >= LAST_SEEN_RESOLUTION_MS) session.lastSeenAt = now;
    // The identity provider took the second factor and owns the password of a single sign-on session.
    if (session.signInMethod === SSO_METHOD) return { ...actorOf(user), mustChangePassword: false };
    return { ...actorOf(user), mustEnrolMfa: this.mustEnrolMfa(user) };
  }

  /** Their role requires two-factor sign-in (MFA_REQUIRED) and they have not set it up yet. */
  mustEnrolMfa(user: User): boolean {
    return mfaRequiredFor(user.role, this.mfaRequired) && user.mfaEnabledAt === null;
  }

  /**
   * The account these credentials sign in to, or undefined: an unknown e-mail, a wrong password and a disabled
   * account are told apart nowhere outside this method and the audit trail, and each costs one password
   * verification.
   */
  async verifyCredentials(email: string, password: string): Promise<User | undefined> {
    const user = await this.users.findForSignIn(email);
    const matches = await verifyPassword(user?.passwordHash, password);
    if (!user || !matches || user.disabled) {
      const reason = !user ? 'unknown_account' : !matches ? 'wrong_password' : 'disabled';
      await this.audit.recordSignInFailure(reason, email, user?.id ?? null);
      return undefined;
    }
    user.lastSignedInAt = this.clock.now();
    await this.users.getEntityManager().flush();
    return user;
  }

  /**
   * The user's own new password, given their current one: the temporary-password flag clears and every other
   * signed-in browser of theirs is signed out. Returns the field errors, none when it was changed.
   */
  async changePassword(
    userId: number,
    input: { current: string; next: string; confirmation: string },
    currentSessionId: string,
  ): Promise<Record<string, string>> {
    const user = await this.users.findWithPassword(userId);
    const errors: Record<string, string> = {};
    if (!user || !(await verifyPassword(user.passwordHash, input.current))) {
      errors.current_password = 'This is not your current password.';
    }
    const refused = user ? passwordProblem(input.next, user) : undefined;
    if (refused) errors.new_password = refused;
    else if (input.next === input.current)
      errors.new_password = 'Choose a password other than the current one.';
    if (input.confirmation !== input.next) errors.confirm_password = 'The two new passwords differ.';
    if (!user || Object.keys(errors).length > 0) return errors;
    await this.setOwnPassword(user, input.next, currentSessionId);
    return {};
  }

  /**
   * The one place a user's own new password takes effect: the temporary-password flag clears and every other
   * signed-in browser of theirs is signed out.
   */
  private async setOwnPassword(user: User, password: string, currentSessionId: string): Promise<void> {
    user.passwordHash = await hashPassword(password);
    user.mustChangePassword = false;
    await this.users.getEntityManager().flush();
    // This browser's session is left to the session store, which renews its id next (another connection, so a
    // row deleted in this request's transaction would keep it waiting).
    await this.users.endSessionsOf(user.id, currentSessionId);
  }

  /** Signs the user in on this browser (`method`: how they proved who they are), and says so in the trail. */
  async signIn(request: Request, user: User, method: string): Promise<void> {
    await this.startSession(request, user, method);
    await this.audit.recordSignIn(user.id, method);
  }

  /** Signs this browser out; the trail records it first, while the session still names its user. */
  async signOut(request: Request): Promise<void> {
    const userId = request.session.userId;
    if (userId !== undefined) {
      await this.audit.record({
        action: 'auth.sign_out',
        actor: { userId, tokenId: null },
        recordType: 'user',
        recordId: userId,
      });
    }
    await new Promise<void>((resolve) =>
      request.session.destroy(() => {
        resolve();
      }),
    );
  }

  /** A new session id for the signed-in user (the anonymous one could have been planted), then its times. */
  async startSession(request: Request, user: User, method?: string): Promise<void> {
    const kept = method ?? request.session.signInMethod;
    await new Promise<void>((resolve, reject) => {
      request.session.regenerate((error: unknown) => {
        if (error) reject(toError(error));
        else resolve();
      });
    });
    const now = this.clock.now().getTime();
    Object.assign(request.session, {
      userId: user.id,
      signedInAt: now,
      lastSeenAt: now,
      ...(kept === undefined ? {} : { signInMethod: kept }),
      ...signInDevice(request),
    });
    await saveSession(request.session);
  }
}

/**
 * Where a sign-in came from, for the user's "Your sign-ins" page: the client address as Express sees it (through
 * `trust proxy`, see app.setup.ts) and the browser's own description of itself.
 */
const signInDevice = (request: Request): Pick<SessionData, 'ip' | 'userAgent'> => ({
  ip: request.ip ?? '',
  userAgent: (request.get('User-Agent') ?? '').slice(0, MAX_USER_AGENT),
});

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
