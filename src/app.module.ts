import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule } from '@nestjs/config';
import { AccessModule } from './access/access.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { DaySheetModule } from './day-sheet/day-sheet.module.js';
import { CommonModule } from './common/common.module.js';
import type { AppConfig } from './config/app-config.js';
import { DatabaseModule } from './database/database.module.js';
import type { OrmConfigOptions } from './database/orm.config.js';
import { QueryTimings } from './database/query-timings.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { PatientsModule } from './patients/patients.module.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { StatsModule } from './stats/stats.module.js';
import { TherapistsModule } from './therapists/therapists.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** Resolved before the module is built: DATABASE_URL or the embedded server's URL. */
  databaseUrl: string;
  orm?: OrmConfigOptions;
  /** Where logs go; by default a logger on stdout at LOG_LEVEL. */
  logger?: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, orm, logger }: AppModuleOptions): DynamicModule {
    // The ORM's query logger reports to it and the metrics read from it: one per app instance.
    const queryTimings = new QueryTimings();
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => config],
        }),
        DatabaseModule.forRoot(databaseUrl, { limits: config.database, queryTimings, ...orm }),
        ObservabilityModule.forRoot(config, queryTimings, logger),
        HealthModule,
        CommonModule,
        AccessModule,
        AuditModule,
        IdempotencyModule,
        TherapistsModule,
        SchedulingModule,
        PatientsModule,
        SessionsModule,
        CalendarModule,
        DaySheetModule,
        StatsModule,
      ],
    };
  }
}
