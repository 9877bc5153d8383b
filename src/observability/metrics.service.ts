import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { routeTemplate } from './route-template.js';

/** Seconds; from a cached read (a few ms) to the 5 s bound a database outage is answered within. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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

  constructor(private readonly orm: MikroORM) {
    collectDefaultMetrics({ register: this.registry });
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
