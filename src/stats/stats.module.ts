import { Module } from '@nestjs/common';
import { StatsApiController } from './stats.api.controller.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';

/** The stats dashboard: figures read from the aggregate the sessions' triggers keep. */
@Module({
  controllers: [StatsApiController],
  providers: [StatsRepository, StatsService],
})
export class StatsModule {}
