import { Logger, type INestApplication } from '@nestjs/common';

/** What main.ts has started so far: a signal may arrive before the app (or even the database) exists. */
export interface Running {
  app?: INestApplication;
  database?: { embedded: boolean; stop: () => Promise<void> };
}

/**
 * One ordered path on SIGTERM, SIGINT or SIGHUP, instead of Nest's shutdown hooks (which re-raise the signal, so
 * the exit code would be 143): readiness turns 503 and the HTTP server drains (DrainingExpressAdapter), the ORM
 * pool closes, then the embedded PostgreSQL stops, and the process exits 0. A second signal changes nothing: the
 * drain has its own deadline.
 */
export function shutDownOnSignals(running: () => Running): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const { app, database } = running();
    logger.log(`${signal} received: readiness answers 503 from now on`);
    await app?.close();
    logger.log('Application closed, database pool released');
    if (database?.embedded) {
      await database.stop();
      logger.log('Embedded PostgreSQL stopped');
    }
    logger.log('Shutdown complete');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      async (error: unknown) => {
        console.error('Shutdown failed:', error);
        await running().database?.stop();
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);
}
