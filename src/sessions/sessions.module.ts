import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Patient } from '../patients/patient.entity.js';
import { PatientsModule } from '../patients/patients.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { AvailabilityApiController } from './availability.api.controller.js';
import { AvailabilityService } from './availability.service.js';
import { BookingRules } from './booking-rules.js';
import { SessionBookingService } from './session-booking.service.js';
import { SessionChangesService } from './session-changes.service.js';
import { SessionEvent } from './session-event.entity.js';
import { SessionPolicy } from './session-policy.js';
import { SessionReadsService } from './session-reads.service.js';
import { SessionSeries } from './session-series.entity.js';
import { Session } from './session.entity.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { SessionsPagesController } from './sessions.pages.controller.js';

@Module({
  imports: [
    MikroOrmModule.forFeature([Session, SessionEvent, SessionSeries, Patient]),
    SchedulingModule,
    TherapistsModule,
    PatientsModule,
  ],
  controllers: [SessionsApiController, AvailabilityApiController, SessionsPagesController],
  providers: [
    SessionReadsService,
    SessionBookingService,
    SessionChangesService,
    BookingRules,
    SessionPolicy,
    AvailabilityService,
  ],
  exports: [SessionReadsService, SessionPolicy, AvailabilityService],
})
export class SessionsModule {}
