import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Therapist } from '../therapists/therapist.entity.js';
import { WorkingHoursApiController } from './working-hours.api.controller.js';
import { Closure } from './closure.entity.js';
import { ClosuresApiController } from './closures.api.controller.js';
import { ClosuresService } from './closures.service.js';
import { StrandedSessionsRepository } from './stranded-sessions.repository.js';
import { TimeOffApiController } from './time-off.api.controller.js';
import { TimeOffPagesController } from './time-off.pages.controller.js';
import { ClosuresPagesController } from './closures.pages.controller.js';
import { TimeOff } from './time-off.entity.js';
import { TimeOffService } from './time-off.service.js';
import { UnavailabilityService } from './unavailability.service.js';
import { WorkingHours } from './working-hours.entity.js';
import { WorkingHoursPagesController } from './working-hours.pages.controller.js';
import { WorkingHoursService } from './working-hours.service.js';

/**
 * The rules a booking must pass that do not depend on other bookings' details: working hours, buffers, zones.
 * It reads therapists' rows through their entity, not TherapistsModule: it needs the rows, not the people service.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Therapist, WorkingHours, TimeOff, Closure])],
  controllers: [
    WorkingHoursApiController,
    WorkingHoursPagesController,
    TimeOffApiController,
    TimeOffPagesController,
    ClosuresApiController,
    ClosuresPagesController,
  ],
  providers: [
    WorkingHoursService,
    UnavailabilityService,
    StrandedSessionsRepository,
    TimeOffService,
    ClosuresService,
  ],
  exports: [WorkingHoursService, UnavailabilityService],
})
export class SchedulingModule {}
