import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { StartupError } from '../common/startup-error.js';
import { IsLocale, ToLocaleId } from '../common/validation/is-locale.decorator.js';
import { IsTimeZone } from '../common/validation/is-time-zone.decorator.js';
import { type AccessConfig, loadAccessConfig } from './access-config.js';
import { loadOidcConfig, type OidcConfig } from './oidc-config.js';
import { toBoolean, toInteger, validateEnvironment } from './environment.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment variables the app reads; names and defaults are documented in the README. */
class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATABASE_URL?: string = undefined;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_DATABASE_PORT = 54329;

  // The four database limits below together bound how long a request can wait on a database that has stopped
  // answering; their defaults make such a request answer 503 within 5 s.
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_CONNECT_TIMEOUT_MS = 2000;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 3000;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_MAX = 10;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600)
  DATABASE_WAIT_SECONDS = 30;

  @IsString()
  @MinLength(1)
  EMBEDDED_DATABASE_DIR = '.data/pg';

  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO_DATA = true;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATE_ON_START = true;

  @IsString()
  @MinLength(1)
  CLINIC_NAME = 'Riverside Therapy Practice';

  @IsTimeZone()
  CLINIC_TIMEZONE = 'UTC';

  // The pages' language (<html lang>, which also sets how browsers show date inputs) and their date formats.
  @ToLocaleId()
  @IsLocale()
  CLINIC_LOCALE = 'en-GB';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(720)
  LATE_CANCEL_HOURS = 24;

  // How far back a session may still be recorded (backfill); ~2 years keeps typos like 1900 out.
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(36_500)
  BACKFILL_DAYS = 730;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  BOOKING_HORIZON_YEARS = 2;

  // How long a SIGTERM waits for in-flight requests before closing their connections; below the 30 s an
  // orchestrator usually grants before SIGKILL, so the database still stops cleanly.
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  // A client that sends its headers (or its whole request) too slowly holds a connection and a socket: 408.
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 20_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  // Sent as a bearer token by the scraper: long enough not to be guessed, one token (no spaces).
  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,}$/, {
    message: 'METRICS_TOKEN must be at least 16 printable characters without spaces',
  })
  METRICS_TOKEN?: string = undefined;
}

/** Limits on the connection pool, so that a database that stops answering fails requests fast instead of hanging. */
export interface DatabaseLimits {
  /** Waiting for a connection: a free one from the pool, or a new one's handshake. */
  connectTimeoutMs: number;
  /** PostgreSQL's statement_timeout; the client also gives up on a reply a little after it. */
  statementTimeoutMs: number;
  /** PostgreSQL's idle_in_transaction_session_timeout: a transaction left open releases its locks. */
  idleInTransactionTimeoutMs: number;
  poolMax: number;
}

export interface AppConfig {
  nodeEnv: EnvironmentVariables['NODE_ENV'];
  port: number;
  host: string;
  /** Unset means: start the embedded PostgreSQL. */
  databaseUrl: string | undefined;
  embeddedDatabasePort: number;
  embeddedDatabaseDir: string;
  database: DatabaseLimits;
  /** How long start-up keeps retrying an unreachable PostgreSQL before giving up (0: try once). */
  databaseWaitSeconds: number;
  seedDemoData: boolean;
  migrateOnStart: boolean;
  clinicName: string;
  clinicTimezone: string;
  /** BCP 47 tag of the pages' language and date formats. */
  clinicLocale: string;
  logLevel: LogLevel;
  /** Cancelling within this many hours of the start is a late cancellation. */
  lateCancelHours: number;
  /** A session may start at most this many days in the past… */
  backfillDays: number;
  /** …and at most this many years ahead. */
  bookingHorizonYears: number;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Deadline for in-flight requests after SIGTERM/SIGINT; then their connections are closed. */
  shutdownTimeoutMs: number;
  /** Node's server.headersTimeout and server.requestTimeout: a slower client gets 408. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  access: AccessConfig;
  /** Single sign-on with an OpenID Connect provider; undefined when it is off. */
  oidc: OidcConfig | undefined;
}

export class InvalidConfigurationError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/** Validates the environment once; every problem is reported together so a misconfigured deploy fails fast. */
export function loadAppConfig(env: Record<string, string | undefined>): AppConfig {
  const problems: string[] = [];
  const vars = validateEnvironment(EnvironmentVariables, env, problems);
  const access = loadAccessConfig(env, problems, {
    production: vars.NODE_ENV === 'production',
    demo: vars.DATABASE_URL === undefined && vars.SEED_DEMO_DATA,
  });
  const oidc = loadOidcConfig(env, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    embeddedDatabasePort: vars.EMBEDDED_DATABASE_PORT,
    embeddedDatabaseDir: vars.EMBEDDED_DATABASE_DIR,
    database: {
      connectTimeoutMs: vars.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: vars.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      poolMax: vars.DATABASE_POOL_MAX,
    },
    databaseWaitSeconds: vars.DATABASE_WAIT_SECONDS,
    seedDemoData: vars.SEED_DEMO_DATA,
    migrateOnStart: vars.MIGRATE_ON_START,
    clinicName: vars.CLINIC_NAME,
    clinicTimezone: vars.CLINIC_TIMEZONE,
    clinicLocale: vars.CLINIC_LOCALE,
    logLevel: vars.LOG_LEVEL,
    lateCancelHours: vars.LATE_CANCEL_HOURS,
    backfillDays: vars.BACKFILL_DAYS,
    bookingHorizonYears: vars.BOOKING_HORIZON_YEARS,
    metricsToken: vars.METRICS_TOKEN,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    http: { headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS },
    access,
    oidc,
  };
}
