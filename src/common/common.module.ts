import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { ClinicClock } from './time/clinic-time.js';

/** Cross-cutting providers every feature may inject. */
@Global()
@Module({
  providers: [
    {
      provide: ClinicClock,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        new ClinicClock(config.get('clinicTimezone', { infer: true })),
    },
  ],
  exports: [ClinicClock],
})
export class CommonModule {}
