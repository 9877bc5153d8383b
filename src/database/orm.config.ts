import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import type { PoolConfig } from 'pg';
import type { DatabaseLimits } from '../config/app-config.js';
import { ApiToken } from '../access/api-token.entity.js';
import { MfaRecoveryCode } from '../access/mfa-recovery-code.entity.js';
import { WaitlistEntry } from '../waitlist/waitlist-entry.entity.js';
import { User } from '../access/user.entity.js';
import { Patient } from '../patients/patient.entity.js';
import { SessionEvent } from '../sessions/session-event.entity.js';
import { SessionSeries } from '../sessions/session-series.entity.js';
import { Session } from '../sessions/session.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { TimeOff } from '../scheduling/time-off.entity.js';
import { Closure } from '../scheduling/closure.entity.js';
import { WorkingHours } from '../scheduling/working-hours.entity.js';
import { type QueryTimings, TimedQueryLogger } from './query-timings.js';

export const ENTITIES = [
  Therapist,
  WorkingHours,
  TimeOff,
  Closure,
  Patient,
  SessionSeries,
  Session,
  SessionEvent,
  User,
  ApiToken,
  MfaRecoveryCode,
  WaitlistEntry,
];

export interface OrmConfigOptions {
  /** Load TypeScript migrations from `migrations/` (tests, CLI) instead of the compiled `dist/migrations/`. */
  preferTs?: boolean;
  debug?: boolean;
  poolMax?: number;
  /** Don't log each applied migration (tests). */
  silentMigrations?: boolean;
  /** Timeouts and pool size from the configuration; the app sets them, the CLI scripts leave them unbounded. */
  limits?: DatabaseLimits;
  /** Where each query's duration goes (the app's metrics); the CLI scripts and tests leave it out. */
  queryTimings?: QueryTimings;
}

/**
 * A reply later than this after statement_timeout means the server (or the network) is not answering at all, so
 * the server cannot cancel the statement itself: node-postgres gives up on its side.
 */
const CLIENT_REPLY_MARGIN_MS = 500;

/** node-postgres pool options: every wait on the database is bounded, so an outage answers 503 instead of hanging. */
export function poolTimeouts(limits: DatabaseLimits): PoolConfig {
  return {
    // pg-pool uses it both for a free connection in a full pool and for a new connection's handshake.
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    query_timeout: limits.statementTimeoutMs + CLIENT_REPLY_MARGIN_MS,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    // Lets the kernel notice a peer that vanished without closing the connection (e.g. a network cut).
    keepAlive: true,
  };
}

/** The one MikroORM configuration, shared by the app, the CLI scripts and the tests. */
export function createOrmConfig(clientUrl: string, options: OrmConfigOptions = {}): Options {
  const timings = options.queryTimings;
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    preferTs: options.preferTs,
    debug: options.debug ?? false,
    // Schema comes only from migrations; the app never synchronises it.
    ensureDatabase: false,
    migrations: {
      path: 'dist/migrations',
      pathTs: 'migrations',
      glob: '!(*.d).{js,ts}',
      snapshot: false,
      silent: options.silentMigrations,
      transactional: true,
      allOrNothing: true,
    },
    pool: { min: 0, max: options.poolMax ?? options.limits?.poolMax ?? 10 },
    // Left out rather than `undefined`: MikroORM reads a present key as the driver options to use.
    ...(options.limits ? { driverOptions: poolTimeouts(options.limits) } : {}),
    ...(timings ? { loggerFactory: (logger) => new TimedQueryLogger(logger, timings) } : {}),
  });
}
