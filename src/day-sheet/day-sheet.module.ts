import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { DaySheetPagesController } from './day-sheet.pages.controller.js';
import { DaySheetService } from './day-sheet.service.js';
import { DaySheetWaiting } from './day-sheet-waiting.js';
import { WaitlistModule } from '../waitlist/waitlist.module.js';

@Module({
  imports: [SessionsModule, SchedulingModule, WaitlistModule],
  controllers: [DaySheetPagesController],
  providers: [DaySheetService, DaySheetWaiting],
})
export class DaySheetModule {}
