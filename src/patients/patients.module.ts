import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Patient } from './patient.entity.js';
import { PatientsApiController } from './patients.api.controller.js';
import { PatientsPagesController } from './patients.pages.controller.js';
import { PatientsService } from './patients.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Patient])],
  controllers: [PatientsApiController, PatientsPagesController],
  providers: [PatientsService],
  exports: [PatientsService],
})
export class PatientsModule {}
