import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import * as oidc from 'openid-client';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/time/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { OidcConfig } from '../config/oidc-config.js';
import type { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';
import './session-data.js';

export const SSO_CALLBACK_PATH = '/login/oidc/callback';
/** How long the provider may take to send the user back: a sign-in, not a coffee break. */
const PENDING_MS = 10 * 60_000;
const IDP_TIMEOUT_SECONDS = 5;

/** The identity provider could not be reached (discovery or the token request): try again later. */
export class IdentityProviderUnavailable extends Error {}

export type SsoResult = { user: User } | { refusal: string; status: number };

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
    await saveSession(request);
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(request),
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).href;
  }

  /** The provider's answer: the account it signs in to, or why not (each refusal is in the audit trail). */
  async finish(request: Request): Promise<SsoResult & { next: string }> {
    const pending = request.session.oidcPending;
    delete request.session.oidcPending;
    const next = pending?.next ?? '/';
    const refuse = async (cause: string, message: string, status: number, email = '', userId?: number) => {
      await this.audit.record({
        action: 'auth.sign_in',
        outcome: 'failure',
        actor: userId === undefined ? null : { userId, tokenId: null },
        recordType: userId === undefined ? undefined : 'user',
        recordId: userId,
        detail: { reason: 'sso_refused', cause, email },
      });
      return { refusal: message, status, next };
    };
    if (!pending || this.clock.now().getTime() - pending.since > PENDING_MS) {
      return refuse(
        'no_pending_sign_in',
        'This sign-in was not started here, or took too long: try again.',
        400,
      );
    }
    const error = request.query.error;
    if (typeof error === 'string') {
      return refuse(
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
      if (isNetworkFailure(failure)) throw new IdentityProviderUnavailable('token request failed');
      const code = failure instanceof Error ? failure.name : 'unknown';
      return refuse(
        `invalid_answer:${code}`,
        'Your identity provider’s answer could not be verified: sign in again.',
        401,
      );
    }
    const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
    // Entra ID says it with `xms_edov` (the e-mail's domain is verified by its tenant) instead of `email_verified`.
    const verified = claims?.email_verified === true || claims?.xms_edov === true;
    if (!email || !verified) {
      return refuse(
        'email_not_verified',
        'Your identity provider has not verified your e-mail address, so it cannot be matched to an account.',
        403,
        email,
      );
    }
    const user = await this.users.findForSignIn(email);
    if (!user) {
      return refuse(
        'no_account',
        `No account here uses ${email}: ask an administrator to create one.`,
        403,
        email,
      );
    }
    if (user.disabled) return refuse('disabled', 'This account is disabled.', 403, email, user.id);
    return { user, next };
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

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as Error & { cause?: unknown }).cause;
  return (
    error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    (error instanceof TypeError && error.message === 'fetch failed') ||
    (cause instanceof Error && /ECONNREFUSED|ENOTFOUND|ECONNRESET/.test(cause.message))
  );
}

function saveSession(request: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    request.session.save((error: unknown) => {
      if (error) reject(error instanceof Error ? error : new Error('The session could not be saved'));
      else resolve();
    });
  });
}
