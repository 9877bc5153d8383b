import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

/** The queries readiness needs: whether PostgreSQL answers, and whether the schema is the one this build expects. */
@Injectable()
export class HealthRepository {
  constructor(private readonly orm: MikroORM) {}

  async ping(): Promise<void> {
    await this.orm.em.getConnection().execute('select 1');
  }

  /** Names of the migrations this build ships that the database has not applied. */
  async pendingMigrations(): Promise<string[]> {
    const pending = await this.orm.migrator.getPending();
    return pending.map((migration) => migration.name);
  }
}
