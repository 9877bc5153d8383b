import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TherapistsModule } from './therapists.module.js';
import { TherapistsPagesController } from './therapists.pages.controller.js';

/**
 * The therapist pages list each therapist's sessions, so they need SessionsModule, which itself imports
 * TherapistsModule: a module of their own keeps that from becoming a circular import.
 */
@Module({
  imports: [TherapistsModule, SchedulingModule, SessionsModule],
  controllers: [TherapistsPagesController],
})
export class TherapistsPagesModule {}
