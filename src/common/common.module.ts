import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { ClinicClock } from './time/clinic-time.js';
import { Clock } from './time/clock.js';

/** Cross-cutting providers every feature may inject. */
@Global()
@Module({
  providers: [
    Clock,
    {
      provide: ClinicClock,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        new ClinicClock(
          config.get('clinicTimezone', { infer: true }),
          config.get('clinicLocale', { infer: true }),
        ),
    },
  ],
  exports: [ClinicClock, Clock],
})
export class CommonModule {}
