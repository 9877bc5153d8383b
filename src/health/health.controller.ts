import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Header,
  ServiceUnavailableException,
  UseFilters,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { DatabaseHealthIndicator } from './database.health.js';
import { Public } from '../access/access.decorators.js';

/**
 * Terminus reports a failed check as a ServiceUnavailableException carrying its result. A probe wants that
 * result as JSON with the 503, not the problem+json (or HTML page) the global filter would make of it, nor the
 * error log line the filter writes for every 5xx: probes poll, and readiness going down is not a fault.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailedFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(exception.getStatus())
      .set('Cache-Control', 'no-cache, no-store, must-revalidate')
      .json(exception.getResponse());
  }
}

@ApiTags('Health')
@Public()
@Controller('health')
@UseFilters(HealthCheckFailedFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  @Get('live')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOperation({
    summary: 'Liveness: the process is up',
    description:
      'Always 200 while the process serves requests; it touches nothing else, not even the database.',
  })
  @ApiOkResponse({
    description: 'The process is up',
    schema: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['ok'] } },
      required: ['status'],
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the app can serve requests',
    description:
      '200 when PostgreSQL answers `select 1` within 1 s and no migration is pending; 503 otherwise, and from ' +
      'the moment the app starts shutting down (`status: shutting_down`).',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.isReady('database')]);
  }
}
