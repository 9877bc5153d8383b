import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

export type QueryOutcome = 'ok' | 'error';
export type QueryTimingListener = (seconds: number, outcome: QueryOutcome) => void;

/**
 * Hands each database query's duration from MikroORM's logger to whoever counts it (the metrics), without either
 * knowing the other. One per app instance (AppModule.forRoot creates it), so two apps in one process — the tests —
 * never count each other's queries. Carries no SQL text or parameters: they hold patients' data.
 */
export class QueryTimings {
  private readonly listeners: QueryTimingListener[] = [];

  onQuery(listener: QueryTimingListener): void {
    this.listeners.push(listener);
  }

  record(tookMs: number, outcome: QueryOutcome): void {
    const seconds = tookMs / 1000;
    for (const listener of this.listeners) listener(seconds, outcome);
  }
}

/**
 * MikroORM 7 calls `logQuery` for every query whatever the `debug` setting (Connection.executeQuery), with `took`
 * in ms (Date.now() resolution) and `level: 'error'` when the query failed; the default logger then prints it only
 * if query logging is on. The time includes waiting for a pooled connection when the query is not in a
 * transaction, so a pool timeout is an `error` of about DATABASE_CONNECT_TIMEOUT_MS.
 */
export class TimedQueryLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly timings: QueryTimings,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    // BEGIN, COMMIT, ROLLBACK and savepoints come without `took`; a configured slow-query log (none here) would
    // repeat a query already counted under its own namespace.
    if (typeof context.took === 'number' && context.namespace !== 'slow-query') {
      this.timings.record(context.took, context.level === 'error' ? 'error' : 'ok');
    }
    super.logQuery(context);
  }
}
