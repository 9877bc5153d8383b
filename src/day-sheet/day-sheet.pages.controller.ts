import { Controller, Get, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { parseLocalDate } from '../common/validation/decorators.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { Page, PageView } from '../common/web/page.js';
import { DaySheetQuery } from './day-sheet.query.js';
import { DaySheetService } from './day-sheet.service.js';
import { DaySheetWaiting } from './day-sheet-waiting.js';
import { toDaySheetPage, type DaySheetPage } from './day-sheet.page.js';

/** One day of sessions, a column per therapist at work: the front desk's home page. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('day')
export class DaySheetPagesController {
  constructor(
    private readonly daySheet: DaySheetService,
    private readonly clock: ClinicClock,
    private readonly waiting: DaySheetWaiting,
  ) {}

  @Get()
  @Page('day/index', 'day/_sheet')
  async day(@Query() raw: Record<string, unknown>): Promise<PageView<DaySheetPage>> {
    const parsed = await validateInput(DaySheetQuery, withoutEmptyValues(raw));
    const today = this.daySheet.today();
    if (!parsed.ok) {
      const refused = { errors: parsed.errors, asked: typeof raw.date === 'string' ? raw.date : '' };
      return new PageView(toDaySheetPage(undefined, today, this.clock, refused), { status: 400 });
    }
    const date = parseLocalDate(parsed.value.date) ?? today;
    const data = await this.daySheet.day(date, parsed.value.page);
    const page = toDaySheetPage(data, today, this.clock);
    await this.waiting.mark(page);
    return new PageView(page);
  }
}
