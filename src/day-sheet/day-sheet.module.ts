import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { DaySheetPagesController } from './day-sheet.pages.controller.js';
import { DaySheetService } from './day-sheet.service.js';

@Module({
  imports: [SessionsModule, SchedulingModule],
  controllers: [DaySheetPagesController],
  providers: [DaySheetService],
})
export class DaySheetModule {}
