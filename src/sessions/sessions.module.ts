import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Patient } from '../patients/patient.entity.js';
import { PatientsModule } from '../patients/patients.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { AvailabilityApiController } from './availability.api.controller.js';
import { AvailabilityService } from './availability.service.js';
import { BookingConflicts } from './booking-conflicts.js';
import { BookingRules } from './booking-rules.js';
import { BookingWindow } from './booking-window.js';
import { CheckInApiController } from './check-in.api.controller.js';
import { CheckInPagesController } from './check-in.pages.controller.js';
import { HomePagesController } from './home.pages.controller.js';
import { PersonSessionsPagesController } from './person-sessions.pages.controller.js';
import { SessionBookingService } from './session-booking.service.js';
import { SessionChangesService } from './session-changes.service.js';
import { SessionCheckInService } from './session-check-in.service.js';
import { SessionDetailPagesController } from './session-detail.pages.controller.js';
import { SessionEvent } from './session-event.entity.js';
import { SessionEventActorSubscriber } from './session-event-actor.subscriber.js';
import { SessionFormPagesController } from './session-form.pages.controller.js';
import { SessionListPagesController } from './session-list.pages.controller.js';
import { SessionPolicy } from './session-policy.js';
import { SessionReadsService } from './session-reads.service.js';
import { SessionSeries } from './session-series.entity.js';
import { Session } from './session.entity.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { WaitlistBookingApiController } from './waitlist-booking.api.controller.js';
import { WaitlistBookingService } from './waitlist-booking.service.js';
import { WaitlistBookingPagesController } from './waitlist-booking.pages.controller.js';
import { WaitlistModule } from '../waitlist/waitlist.module.js';

@Module({
  imports: [
    MikroOrmModule.forFeature([Session, SessionEvent, SessionSeries, Patient]),
    SchedulingModule,
    TherapistsModule,
    PatientsModule,
    WaitlistModule,
  ],
  controllers: [
    SessionsApiController,
    CheckInApiController,
    AvailabilityApiController,
    HomePagesController,
    SessionListPagesController,
    // Before the detail pages, so /sessions/new is the booking form and not a session whose id is "new".
    SessionFormPagesController,
    SessionDetailPagesController,
    PersonSessionsPagesController,
    CheckInPagesController,
    WaitlistBookingApiController,
    WaitlistBookingPagesController,
  ],
  providers: [
    SessionReadsService,
    SessionBookingService,
    SessionChangesService,
    SessionCheckInService,
    BookingRules,
    BookingConflicts,
    BookingWindow,
    SessionPolicy,
    AvailabilityService,
    SessionEventActorSubscriber,
    WaitlistBookingService,
  ],
  exports: [SessionReadsService, SessionPolicy, AvailabilityService],
})
export class SessionsModule {}
