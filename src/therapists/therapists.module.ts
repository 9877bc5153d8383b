import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Therapist } from './therapist.entity.js';
import { TherapistsApiController } from './therapists.api.controller.js';
import { TherapistsPagesController } from './therapists.pages.controller.js';
import { TherapistsService } from './therapists.service.js';
import { WorkingHoursApiController } from './working-hours.api.controller.js';
import { WorkingHours } from './working-hours.entity.js';
import { WorkingHoursService } from './working-hours.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Therapist, WorkingHours])],
  controllers: [TherapistsApiController, WorkingHoursApiController, TherapistsPagesController],
  providers: [TherapistsService, WorkingHoursService],
  exports: [TherapistsService, WorkingHoursService],
})
export class TherapistsModule {}
