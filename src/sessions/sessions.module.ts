import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PatientsModule } from '../patients/patients.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { Session } from './session.entity.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { SessionsPagesController } from './sessions.pages.controller.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Session]), TherapistsModule, PatientsModule],
  controllers: [SessionsApiController, SessionsPagesController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
