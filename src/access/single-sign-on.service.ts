import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { SessionData } from 'express-session';
import * as oidc from 'openid-client';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/time/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { OidcConfig } from '../config/oidc-config.js';
import { RateLimits } from './rate-limits.js';
import type { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';
import { saveSession } from './session-data.js';

export const SSO_CALLBACK_PATH = '/login/oidc/callback';
/** How long the provider may take to send the user back: a sign-in, not a coffee break. */
const PENDING_MS = 10 * 60_000;
const IDP_TIMEOUT_SECONDS = 5;

/** The identity provider could not be reached (discovery or the token request): try again later. */
export class IdentityProviderUnavailable extends Error {}

/** Why the provider's answer signs nobody in: the sign-in page's message, its status, and a 429's wait. */
export interface SsoRefusal {
  refusal: string;
  status: number;
  retryAfterSeconds?: number;
}

export type SsoResult = ({ user: User } | SsoRefusal) & { next: string };

/**
 * Single sign-on with any OpenID Connect provider: the authorization code flow with PKCE, state and nonce. The
 * user is the existing, enabled account with the e-mail address the provider has verified; there is no
 * self-signup. The provider's metadata is discovered on first use and kept, so the app starts while it is down.
 */
@Injectable()
export class SingleSignOnService {
  private readonly logger = new Logger(SingleSignOnService.name);
  private readonly settings: OidcConfig | undefined;
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('oidc', { infer: true });
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  /** The provider's authorization URL for this browser, with what its answer must match kept in the session. */
  async start(request: Request, next: string): Promise<string> {
    const configuration = await this.configuration();
    const pending = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      since: this.clock.now().getTime(),
      next,
    };
    request.session.oidcPending = pending;
    await saveSession(request.session);
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(request),
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).href;
  }

  /**
   * The provider's answer: the account it signs in to, or why not. A failed answer counts against the client
   * address's sign-in attempts, as a wrong password does; a sign-in, or an outage of the provider, does not.
   */
  async finish(request: Request): Promise<SsoResult> {
    const pending = request.session.oidcPending;
    delete request.session.oidcPending;
    const next = pending?.next ?? '/';
    const limited = await this.rateLimits.signInAttempt(request.ip, '');
    if (limited) {
      return {
        ...(await this.refuse(
          'rate_limited',
          `Too many sign-in attempts from this address. Wait ${limited.retryAfterSeconds} seconds, then try again.`,
          429,
        )),
        retryAfterSeconds: limited.retryAfterSeconds,
        next,
      };
    }
    let result: { user: User } | SsoRefusal;
    try {
      result = await this.verify(request, pending);
    } catch (error) {
      if (error instanceof IdentityProviderUnavailable) await this.rateLimits.signInSucceeded(request.ip, '');
      throw error;
    }
    if ('user' in result) await this.rateLimits.signInSucceeded(request.ip, '');
    return { ...result, next };
  }

  /** Checks the answer against what this browser was sent off with, then finds the account it names. */
  private async verify(
    request: Request,
    pending: SessionData['oidcPending'] | undefined,
  ): Promise<{ user: User } | SsoRefusal> {
    if (!pending || this.clock.now().getTime() - pending.since > PENDING_MS) {
      return this.refuse(
        'no_pending_sign_in',
        'This sign-in was not started here, or took too long: try again.',
        400,
      );
    }
    const error = request.query.error;
    if (typeof error === 'string') {
      return this.refuse(
        `provider_error:${error.slice(0, 40)}`,
        'Your identity provider did not sign you in.',
        401,
      );
    }
    const configuration = await this.configuration();
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, this.currentUrl(request), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      // Most providers put the e-mail in the ID token; the others give it from the UserInfo endpoint.
      claims =
        idToken?.email === undefined && idToken
          ? await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub)
          : idToken;
    } catch (failure) {
      if (isProviderOutage(failure)) throw new IdentityProviderUnavailable('token request failed');
      const code = failure instanceof Error ? failure.name : 'unknown';
      return this.refuse(
        `invalid_answer:${code}`,
        'Your identity provider’s answer could not be verified: sign in again.',
        401,
      );
    }
    const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email || !emailVerified(claims)) {
      return this.refuse(
        'email_not_verified',
        'Your identity provider has not verified your e-mail address, so it cannot be matched to an account.',
        403,
        email,
      );
    }
    const user = await this.users.findForSignIn(email);
    if (!user) {
      return this.refuse(
        'no_account',
        `No account here uses ${email}: ask an administrator to create one.`,
        403,
        email,
      );
    }
    if (user.disabled) return this.refuse('disabled', 'This account is disabled.', 403, email, user.id);
    return { user };
  }

  /** A single sign-on that signs nobody in, and why (`cause`), in the audit trail. */
  private async refuse(
    cause: string,
    message: string,
    status: number,
    email = '',
    userId?: number,
  ): Promise<SsoRefusal> {
    await this.audit.recordSignInFailure('sso_refused', email, userId ?? null, cause);
    return { refusal: message, status };
  }

  private configuration(): Promise<oidc.Configuration> {
    const settings = this.settings;
    if (!settings) return Promise.reject(new Error('Single sign-on is not configured'));
    const issuer = new URL(settings.issuerUrl);
    this.discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        timeout: IDP_TIMEOUT_SECONDS,
        // A provider on plain HTTP (a test's on loopback, a lab's Keycloak): only when the issuer says so itself.
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- "deprecated" only to stand out; HTTP issuers need it
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.discovered = undefined;
        this.logger.warn(`The identity provider could not be discovered: ${String(error)}`);
        throw new IdentityProviderUnavailable('discovery failed');
      });
    return this.discovered;
  }

  private redirectUri(request: Request): string {
    return (
      this.settings?.redirectUrl ?? `${request.protocol}://${request.get('host') ?? ''}${SSO_CALLBACK_PATH}`
    );
  }

  /** The callback as the provider called it: the registered redirect URI with the answer's query. */
  private currentUrl(request: Request): URL {
    const url = new URL(this.redirectUri(request));
    url.search = new URL(request.originalUrl, 'http://callback').search;
    return url;
  }
}

/**
 * Entra ID sends no `email_verified`; its optional `xms_edov` says the tenant has verified the e-mail's domain.
 * It counts only where `email_verified` is absent, so a provider's explicit "not verified" always wins.
 */
function emailVerified(claims: Record<string, unknown> | undefined): boolean {
  if (claims?.email_verified !== undefined) return claims.email_verified === true;
  return claims?.xms_edov === true;
}

/**
 * The provider could not answer (unreachable, too slow, or its own 5xx), as opposed to answering "no": the
 * person can do nothing about it but wait, so it is a 503 and not a refusal.
 */
function isProviderOutage(error: unknown): boolean {
  // fetch's own network failure; its cause says why (refused, reset, DNS). Compared by message: under a test
  // runner it comes from another realm, where `instanceof TypeError` is false.
  if (field(error, 'message') === 'fetch failed') return true;
  if (error instanceof oidc.ResponseBodyError) return error.status >= 500;
  if (!(error instanceof oidc.ClientError)) return false;
  switch (error.code) {
    case 'OAUTH_TIMEOUT':
    case 'OAUTH_ABORT':
      return true;
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      return Number(field(error.cause, 'status')) >= 500;
    case undefined:
      // openid-client's "something went wrong" around an error it does not know, such as fetch's.
      return isProviderOutage(error.cause);
    default:
      return false;
  }
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
