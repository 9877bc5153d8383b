import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * rate-limiter-flexible's table, created by the migrations (never by the library at start-up) and unlogged: a
 * counted request must not wait for a WAL flush.
 */
const TABLE = 'rate_limit';
/** Counters whose window has ended are dead weight (the next consume resets them); any instance may delete them. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** What one counted event left: allowed or not, and the figures for `Retry-After` and the RateLimit headers. */
export interface Allowance {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds (at least 1) until the window ends and the counter starts again. */
  resetSeconds: number;
}

/** A fixed window of `points` events per `windowSeconds` per key, counted in PostgreSQL. */
export class RateLimit {
  constructor(
    private readonly limiter: () => Promise<RateLimiterPostgres>,
    readonly points: number,
  ) {}

  /**
   * Counts one event. Over the limit it resolves `allowed: false`; a database failure rejects with the driver's
   * error, for the problem filter to answer 503 as it does for any other query.
   */
  async consume(key: string): Promise<Allowance> {
    const limiter = await this.limiter();
    try {
      return this.allowance(true, await limiter.consume(key));
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return this.allowance(false, outcome);
      throw outcome;
    }
  }

  /** Gives back one event counted by `consume` (e.g. a sign-in that turned out to be right). */
  async refund(key: string): Promise<void> {
    await (await this.limiter()).reward(key, 1);
  }

  private allowance(allowed: boolean, result: RateLimiterRes): Allowance {
    return {
      allowed,
      limit: this.points,
      remaining: allowed ? result.remainingPoints : 0,
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
    };
  }
}

/**
 * The counters of every rate limit, in one PostgreSQL table on the app's own connection pool, so that all the
 * instances of a deployment share them. The pool is taken on first use: building the app (e.g. for the OpenAPI
 * document) must not need a database.
 */
@Injectable()
export class RateLimitStore implements OnApplicationShutdown {
  private pool: Promise<Pool> | undefined;
  private pruning: NodeJS.Timeout | undefined;

  constructor(private readonly orm: MikroORM) {}

  /** A limit whose counters are kept under their own key prefix (`name`) in the shared table. */
  define(name: string, points: number, windowSeconds: number): RateLimit {
    let limiter: Promise<RateLimiterPostgres> | undefined;
    const create = async (): Promise<RateLimiterPostgres> =>
      new RateLimiterPostgres({
        storeClient: await this.connect(),
        // Named explicitly: the library guesses the client's kind from its class name, which bundlers rename.
        storeType: 'pool',
        tableName: TABLE,
        // The migration made the table; the library would otherwise run CREATE TABLE at start-up, which a role
        // without CREATE rights cannot do, and reject every call until that finished.
        tableCreated: true,
        // Its own clean-up timer cannot be stopped at shutdown; this store prunes instead (see connect()).
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points,
        duration: windowSeconds,
        // Once a key is over its limit, this instance refuses it from memory until the window ends: a flood
        // costs no further queries.
        inMemoryBlockOnConsumed: points + 1,
      });
    return new RateLimit(() => {
      limiter ??= create().catch((error: unknown) => {
        limiter = undefined;
        throw error;
      });
      return limiter;
    }, points);
  }

  private connect(): Promise<Pool> {
    this.pool ??= (async () => {
      const pool: Pool = await this.orm.em.getConnection().getNativeClient();
      this.pruning ??= setInterval(() => void this.prune(pool), PRUNE_INTERVAL_MS).unref();
      return pool;
    })().catch((error: unknown) => {
      this.pool = undefined;
      throw error;
    });
    return this.pool;
  }

  private async prune(pool: Pool): Promise<void> {
    // Expiry is epoch milliseconds, as the library writes it. Losing a prune to an outage costs nothing.
    await pool.query(`delete from ${TABLE} where expire < $1`, [Date.now()]).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruning);
  }
}
