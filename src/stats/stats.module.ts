import { Module } from '@nestjs/common';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { StatsApiController } from './stats.api.controller.js';
import { StatsPagesController } from './stats.pages.controller.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';

/** The stats dashboard: figures read from the aggregate the sessions' triggers keep. */
@Module({
  imports: [TherapistsModule],
  controllers: [StatsApiController, StatsPagesController],
  providers: [StatsRepository, StatsService],
})
export class StatsModule {}
