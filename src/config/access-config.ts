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
  /** The rate limits' window: a minute, as their settings say; not a variable, only tests shorten it. */
  rateLimitWindowSeconds: number;
}

export function loadAccessConfig(env: Record<string, string | undefined>, problems: string[]): AccessConfig {
  const vars = validateEnvironment(AccessVariables, env, problems);
  if (Boolean(vars.ADMIN_EMAIL) !== Boolean(vars.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL, ADMIN_PASSWORD: set both to create the first admin, or neither');
  }
  return {
    sessionSecret: vars.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
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
    rateLimitWindowSeconds: 60,
  };
}
