import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { QueryTimings } from '../database/query-timings.js';
import { createRootLogger } from './logger.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** The app instance's pino logger: main.ts and the tests may pass their own (e.g. writing to a stream). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig, queryTimings: QueryTimings, logger?: Logger): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [
        MetricsService,
        { provide: QueryTimings, useValue: queryTimings },
        { provide: ROOT_LOGGER, useValue: logger ?? createRootLogger(config.logLevel) },
      ],
      exports: [MetricsService, ROOT_LOGGER],
    };
  }
}
