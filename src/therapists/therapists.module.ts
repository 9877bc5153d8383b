import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Therapist } from './therapist.entity.js';
import { TherapistsApiController } from './therapists.api.controller.js';
import { TherapistsPagesController } from './therapists.pages.controller.js';
import { TherapistsService } from './therapists.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Therapist])],
  controllers: [TherapistsApiController, TherapistsPagesController],
  providers: [TherapistsService],
  exports: [TherapistsService],
})
export class TherapistsModule {}
