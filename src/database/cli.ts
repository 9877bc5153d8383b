import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { StartupError } from '../common/startup-error.js';
import { loadAppConfig } from '../config/app-config.js';
import { BACKUP_USAGE, runBackupCommand } from './backup.js';
import { migrate, redactUrl, resolveDatabase, seedDemoDataIntoEmptyDatabase } from './database-bootstrap.js';
import { createOrmConfig } from './orm.config.js';
import { bulkSeedArguments, printBulkSeedSummary } from './seed/bulk-arguments.js';
import { bulkSeed } from './seed/bulk-seed.js';

const USAGE =
  'Usage: db <migrate|seed|reset> [--force] [--therapists N --patients N --sessions N [--streams N]] | ' +
  BACKUP_USAGE.replace(/^Usage: /, '');

/**
 * `npm run db:migrate | db:seed | db:reset | db:backup | db:restore`: the same database the app would use
 * (DATABASE_URL, or the embedded server, started for the duration of the command).
 */
async function main([command, ...args]: string[]): Promise<void> {
  if (command === 'backup' || command === 'restore') {
    await runBackupCommand(command, args, loadAppConfig(process.env), console.log);
    return;
  }
  if (command !== 'migrate' && command !== 'seed' && command !== 'reset') throw new StartupError(USAGE);
  const force = args.includes('--force');
  const config = loadAppConfig(process.env);
  const bulk = bulkSeedArguments(args, config.clinicTimezone);
  if (bulk && command === 'migrate') throw new StartupError(USAGE);
  if (command === 'reset' && config.nodeEnv === 'production' && !force) {
    throw new StartupError('Refusing to reset a production database without --force.');
  }
  const database = await resolveDatabase(config, console.log);
  const orm = await MikroORM.init(createOrmConfig(database.url));
  try {
    console.log(`Database: ${redactUrl(database.url)}`);
    if (command === 'reset') {
      await orm.em.fork().execute('drop schema public cascade; create schema public');
      console.log('Dropped every table.');
    }
    const applied = await migrate(orm);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Schema is up to date.');
    if (bulk) {
      const started = performance.now();
      printBulkSeedSummary(
        await bulkSeed(database.url, bulk, console.log),
        performance.now() - started,
        console.log,
      );
    } else if (command !== 'migrate') {
      const seeded = await seedDemoDataIntoEmptyDatabase(orm, config);
      console.log(
        seeded
          ? `Seeded ${seeded.therapists} therapists, ${seeded.patients} patients, ${seeded.sessions} sessions.`
          : 'The database already has data; not seeding (use db:reset to start over).',
      );
    }
  } finally {
    await orm.close();
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof StartupError ? error.message : error);
    process.exit(1);
  },
);
