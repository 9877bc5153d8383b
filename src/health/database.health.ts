import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthRepository } from './health.repository.js';
import { isError } from '../common/errors.js';

/** Readiness answers within this, whatever the database does; the probe's own timeout is usually 1–2 s. */
export const READY_TIMEOUT_MS = 1000;

class ReadinessTimeout extends Error {
  constructor() {
    super(`PostgreSQL did not answer within ${READY_TIMEOUT_MS} ms`);
  }
}

const errorCode = (error: unknown): string | undefined =>
  isError(error) && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/** PostgreSQL answers `select 1` within READY_TIMEOUT_MS and no migration is pending. */
@Injectable()
export class DatabaseHealthIndicator {
  /**
   * Migrations are never un-applied by a running app, so once none is pending the check stops listing the
   * migration files and reading the migrations table on every probe: readiness stays one `select 1`.
   */
  private migrationsApplied = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly repository: HealthRepository,
  ) {}

  async isReady<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new ReadinessTimeout());
      }, READY_TIMEOUT_MS);
    });
    try {
      const pending = await Promise.race([this.check(), timeout]);
      if (pending.length > 0) return indicator.down({ message: 'migrations pending', pending });
      return indicator.up();
    } catch (error) {
      // The probe is public: say what kind of failure it is, not the host, port or SQL the message may name.
      if (error instanceof ReadinessTimeout) return indicator.down({ message: error.message });
      return indicator.down({ message: 'PostgreSQL is unavailable', code: errorCode(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  private async check(): Promise<string[]> {
    await this.repository.ping();
    if (this.migrationsApplied) return [];
    const pending = await this.repository.pendingMigrations();
    this.migrationsApplied = pending.length === 0;
    return pending;
  }
}
