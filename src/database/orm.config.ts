import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { Patient } from '../patients/patient.entity.js';
import { SessionEvent } from '../sessions/session-event.entity.js';
import { SessionSeries } from '../sessions/session-series.entity.js';
import { Session } from '../sessions/session.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { WorkingHours } from '../scheduling/working-hours.entity.js';

export const ENTITIES = [Therapist, WorkingHours, Patient, SessionSeries, Session, SessionEvent];

export interface OrmConfigOptions {
  /** Load TypeScript migrations from `migrations/` (tests, CLI) instead of the compiled `dist/migrations/`. */
  preferTs?: boolean;
  debug?: boolean;
  poolMax?: number;
  /** Don't log each applied migration (tests). */
  silentMigrations?: boolean;
}

/** The one MikroORM configuration, shared by the app, the CLI scripts and the tests. */
export function createOrmConfig(clientUrl: string, options: OrmConfigOptions = {}): Options {
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
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
}
