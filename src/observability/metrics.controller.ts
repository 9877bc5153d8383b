import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { PROBLEM_CONTENT_TYPE } from '../common/problems/problem-details.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { toProblemDetails } from '../common/problems/problem-details.filter.js';
import { MetricsService } from './metrics.service.js';
import { Public } from '../access/access.decorators.js';

/** Scraped by Prometheus, not called by API clients: kept out of the OpenAPI document (README: Logs and metrics). */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer | undefined;

  constructor(
    private readonly metrics: MetricsService,
    config: ConfigService<AppConfig, true>,
  ) {
    const token = config.get('metricsToken', { infer: true });
    this.token = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.authorized(request.headers.authorization)) {
      // Always problem+json: the global filter would answer a browser-like Accept with an HTML page.
      const problem = new ProblemException('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>.');
      response
        .status(401)
        .set('WWW-Authenticate', 'Bearer')
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify(toProblemDetails(problem, request.originalUrl)));
      return;
    }
    response.type(this.metrics.contentType).send(await this.metrics.metrics());
  }

  private authorized(header: string | undefined): boolean {
    if (!this.token) return true;
    const given = Buffer.from(header ?? '');
    // Constant time, so the token cannot be guessed a character at a time from response times.
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}
