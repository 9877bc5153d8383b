import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { PatientsModule } from './patients.module.js';
import { PatientsPagesController } from './patients.pages.controller.js';

/**
 * The patient pages list each patient's sessions, so they need SessionsModule, which itself imports
 * PatientsModule: a module of their own keeps that from becoming a circular import.
 */
@Module({
  imports: [PatientsModule, SessionsModule],
  controllers: [PatientsPagesController],
})
export class PatientsPagesModule {}
