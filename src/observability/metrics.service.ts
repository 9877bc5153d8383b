import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { QueryTimings } from '../database/query-timings.js';
import { routeTemplate } from './route-template.js';

/** Seconds; from a cached read (a few ms) to the 5 s bound a database outage is answered within. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/**
 * Seconds; MikroORM times queries to the millisecond (a lookup by key takes 0–1 ms), up to the statement timeout
 * a stalled query ends at (3 s by default; a pool timeout, 2 s by default, lands in between).
 */
const QUERY_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One registry per app instance (not prom-client's global one), so several apps in one process — the tests —
 * each count their own requests and register the same metric names without clashing.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests, by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  constructor(
    private readonly orm: MikroORM,
    queryTimings: QueryTimings,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.countQueries(queryTimings);
    this.poolGauge(
      'db_pool_connections_total',
      'Connections open in the PostgreSQL pool',
      (p) => p.totalCount,
    );
    this.poolGauge('db_pool_connections_idle', 'Idle connections in the PostgreSQL pool', (p) => p.idleCount);
    this.poolGauge(
      'db_pool_requests_waiting',
      'Queries waiting for a free connection of the PostgreSQL pool',
      (p) => p.waitingCount,
    );
  }

  /** Times every request from its arrival to the end of its response, whoever answered it. */
  readonly middleware = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const end = this.requestDuration.startTimer();
    response.once('finish', () => {
      end({ method: request.method, route: routeTemplate(request), status: String(response.statusCode) });
    });
    next();
  };

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Only the outcome as a label: SQL text or parameters would make endless series and carry patients' data. */
  private countQueries(queryTimings: QueryTimings): void {
    const histogram = new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Duration of PostgreSQL queries as MikroORM times them, by outcome (ok or error)',
      labelNames: ['outcome'] as const,
      buckets: QUERY_DURATION_BUCKETS,
      registers: [this.registry],
    });
    // Both series from the start, so an error rate reads 0 rather than nothing before the first failure.
    histogram.zero({ outcome: 'ok' });
    histogram.zero({ outcome: 'error' });
    queryTimings.onQuery((seconds, outcome) => {
      histogram.observe({ outcome }, seconds);
    });
  }

  private poolGauge(name: string, help: string, read: (pool: Pool) => number): void {
    const orm = this.orm;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      // Read at scrape time from the pg Pool MikroORM 7 creates behind Kysely (getNativeClient()).
      async collect() {
        const pool = await orm.em.getConnection().getNativeClient();
        this.set(read(pool));
      },
    });
  }
}
