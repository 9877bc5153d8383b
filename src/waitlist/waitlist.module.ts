import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Patient } from '../patients/patient.entity.js';
import { PatientsModule } from '../patients/patients.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { WaitlistApiController } from './waitlist.api.controller.js';
import { WaitlistPagesController } from './waitlist.pages.controller.js';
import { WaitlistEntry } from './waitlist-entry.entity.js';
import { WaitlistService } from './waitlist.service.js';

/** Patients waiting for a slot. Booking from it is the sessions' (WaitlistBookingService), which import this. */
@Module({
  imports: [MikroOrmModule.forFeature([WaitlistEntry, Patient]), PatientsModule, TherapistsModule],
  controllers: [WaitlistApiController, WaitlistPagesController],
  providers: [WaitlistService],
  exports: [WaitlistService],
})
export class WaitlistModule {}
