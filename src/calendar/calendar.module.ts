import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TherapistsModule } from '../therapists/therapists.module.js';
import { CalendarPagesController } from './calendar.pages.controller.js';

@Module({
  imports: [SessionsModule, TherapistsModule],
  controllers: [CalendarPagesController],
})
export class CalendarModule {}
