import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { HealthRepository } from './health.repository.js';

@Module({
  // Terminus would log every failed probe as an error with the full result; a 503 from readiness is the
  // answer the orchestrator asked for, and a database outage is already logged once per failed request.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthRepository, DatabaseHealthIndicator],
})
export class HealthModule {}
