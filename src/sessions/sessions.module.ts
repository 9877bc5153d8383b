import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PatientsModule } from '../patients/patients.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { AvailabilityApiController } from './availability.api.controller.js';
import { AvailabilityService } from './availability.service.js';
import { HomePagesController } from './home.pages.controller.js';
import { PersonSessionsPagesController } from './person-sessions.pages.controller.js';
import { SessionDetailPagesController } from './session-detail.pages.controller.js';
import { SessionFormPagesController } from './session-form.pages.controller.js';
import { SessionListPagesController } from './session-list.pages.controller.js';
import { SessionPolicy } from './session-policy.js';
import { Session } from './session.entity.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Session]), TherapistsModule, PatientsModule],
  controllers: [
    SessionsApiController,
    AvailabilityApiController,
    HomePagesController,
    SessionListPagesController,
    // Before the detail pages, so /sessions/new is the booking form and not a session whose id is "new".
    SessionFormPagesController,
    SessionDetailPagesController,
    PersonSessionsPagesController,
  ],
  providers: [SessionsService, SessionPolicy, AvailabilityService],
  exports: [SessionsService, SessionPolicy, AvailabilityService],
})
export class SessionsModule {}
