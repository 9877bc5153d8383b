import { randomBytes } from 'node:crypto';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../access/passwords.js';
import { toBoolean, toInteger, validateEnvironment } from './environment.js';

/** Sign-in, sessions and rate limits; documented in the README's "Users and access". */
class AccessVariables {
  // Signs the session cookie and the CSRF token: every instance of one deployment must share it.
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string = undefined;

  @Transform(toBoolean)
  @IsBoolean()
  COOKIE_SECURE = false;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 30;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  SESSION_ABSOLUTE_HOURS = 12;

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`,
  })
  ADMIN_PASSWORD?: string = undefined;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  SIGN_IN_ATTEMPTS_PER_MINUTE = 5;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  API_REQUESTS_PER_MINUTE = 600;

  // Unset: the default depends on where the app runs (see loadAccessConfig), so it is not fixed here.
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MFA_REQUIRED?: boolean = undefined;

  // Encrypts the stored TOTP secrets; separate from SESSION_SECRET so that rotating that one keeps enrolments.
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'MFA_ENCRYPTION_KEY must be at least 32 characters' })
  MFA_ENCRYPTION_KEY?: string = undefined;
}

export interface AccessConfig {
  sessionSecret: string;
  /** True when the secret was generated at start-up: sessions do not survive a restart or span instances. */
  sessionSecretGenerated: boolean;
  cookieSecure: boolean;
  idleTimeoutMs: number;
  absoluteLifetimeMs: number;
  firstAdmin: { email: string; password: string } | undefined;
  signInAttemptsPerMinute: number;
  apiRequestsPerMinute: number;
  /** Admins and therapists must use two-factor sign-in (MFA_REQUIRED). */
  mfaRequired: boolean;
  /** Key material for the stored TOTP secrets: MFA_ENCRYPTION_KEY, or else the session secret. */
  mfaEncryptionKey: string;
  /** The rate limits' window: a minute, as their settings say; not a variable, only tests shorten it. */
  rateLimitWindowSeconds: number;
}

/** Where the app runs, for the defaults that depend on it. */
export interface AccessDefaultsContext {
  production: boolean;
  /** The demo mode: the embedded PostgreSQL (no DATABASE_URL) with the demo practice and its accounts. */
  demo: boolean;
}

export function loadAccessConfig(
  env: Record<string, string | undefined>,
  problems: string[],
  context: AccessDefaultsContext = { production: false, demo: false },
): AccessConfig {
  const vars = validateEnvironment(AccessVariables, env, problems);
  const sessionSecret = vars.SESSION_SECRET ?? randomBytes(32).toString('base64url');
  if (Boolean(vars.ADMIN_EMAIL) !== Boolean(vars.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL, ADMIN_PASSWORD: set both to create the first admin, or neither');
  }
  return {
    sessionSecret,
    sessionSecretGenerated: !vars.SESSION_SECRET,
    cookieSecure: vars.COOKIE_SECURE,
    idleTimeoutMs: vars.SESSION_IDLE_MINUTES * 60_000,
    absoluteLifetimeMs: vars.SESSION_ABSOLUTE_HOURS * 3_600_000,
    firstAdmin:
      vars.ADMIN_EMAIL && vars.ADMIN_PASSWORD
        ? { email: vars.ADMIN_EMAIL.toLowerCase(), password: vars.ADMIN_PASSWORD }
        : undefined,
    signInAttemptsPerMinute: vars.SIGN_IN_ATTEMPTS_PER_MINUTE,
    apiRequestsPerMinute: vars.API_REQUESTS_PER_MINUTE,
    // The demo's accounts have published passwords and no authenticator: required only in a real production.
    mfaRequired: vars.MFA_REQUIRED ?? (context.production && !context.demo),
    mfaEncryptionKey: vars.MFA_ENCRYPTION_KEY ?? sessionSecret,
    rateLimitWindowSeconds: 60,
  };
}
