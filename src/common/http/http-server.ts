import http, { type ServerResponse } from 'node:http';
import { Logger, type NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { AppConfig } from '../../config/app-config.js';

/**
 * Node checks headersTimeout and requestTimeout only every `connectionsCheckingInterval` (30 s by default), so a
 * 20 s limit could take 50 s to answer; a check every second keeps the limits close to what they say.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1000;

/**
 * Express behind Nest, with the HTTP server's slow-client limits and a graceful drain. Nest calls `close()` after
 * the before-shutdown hooks (so terminus's readiness already answers 503) and before the shutdown hooks (so the
 * ORM pool is still open while in-flight requests finish). Used by main.ts and by the tests' apps alike.
 */
export class DrainingExpressAdapter extends ExpressAdapter {
  private readonly shutdownLogger = new Logger('Shutdown');
  private readonly inFlightResponses = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly config: Pick<AppConfig, 'shutdownTimeoutMs' | 'http'>) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions) throw new Error('HTTPS is terminated by the proxy in front, not by the app');
    const server = http.createServer(
      {
        connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
        headersTimeout: this.config.http.headersTimeoutMs,
        requestTimeout: this.config.http.requestTimeoutMs,
      },
      this.getInstance<http.RequestListener>(),
    );
    server.on('request', (_request, response: ServerResponse) => {
      this.inFlightResponses.add(response);
      response.once('close', () => this.inFlightResponses.delete(response));
      if (this.draining) response.setHeader('Connection', 'close');
    });
    this.setHttpServer(server);
  }

  /**
   * Stops accepting connections, closes the idle keep-alive ones, tells the busy ones `Connection: close`, and
   * waits for their requests up to SHUTDOWN_TIMEOUT_MS; then closes whatever is left.
   */
  override async close(): Promise<void> {
    const server = this.getHttpServer() as http.Server | undefined;
    if (!server?.listening) return;
    this.draining = true;
    const started = Date.now();
    for (const response of this.inFlightResponses) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    server.closeIdleConnections();
    this.shutdownLogger.log(
      `Stopped accepting connections; waiting up to ${this.config.shutdownTimeoutMs} ms for ` +
        `${this.inFlightResponses.size} in-flight request(s)`,
    );
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      closed.then(() => 'drained' as const),
      new Promise<'deadline'>((resolve) => {
        timer = setTimeout(resolve, this.config.shutdownTimeoutMs, 'deadline');
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'deadline') {
      this.shutdownLogger.warn(
        `Shutdown deadline reached: closing the connections of ${this.inFlightResponses.size} unfinished request(s)`,
      );
      server.closeAllConnections();
      await closed;
    } else {
      this.shutdownLogger.log(`All in-flight requests finished in ${Date.now() - started} ms`);
    }
  }
}
