import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { CalendarPagesController } from './calendar.pages.controller.js';

@Module({
  imports: [SessionsModule, TherapistsModule, SchedulingModule],
  controllers: [CalendarPagesController],
})
export class CalendarModule {}
