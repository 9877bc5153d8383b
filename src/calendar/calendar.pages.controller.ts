import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClinicClock } from '../common/time/clinic-time.js';
import { parseLocalDate } from '../common/validation/decorators.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, PageView } from '../common/web/page.js';
import { personOptions } from '../sessions/session.view.js';
import { AvailabilityService } from '../sessions/availability.service.js';
import { DEFAULT_DURATION_MINUTES } from '../sessions/session.entity.js';
import { SessionReadsService } from '../sessions/session-reads.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import { CalendarQuery } from './calendar.query.js';
import { toCalendarView, weekStart } from './calendar.view.js';

/** A week of sessions, Monday to Sunday, for one therapist or everyone. */
@ApiExcludeController()
@Controller('calendar')
export class CalendarPagesController {
  constructor(
    private readonly sessions: SessionReadsService,
    private readonly therapists: TherapistsService,
    private readonly clock: ClinicClock,
    private readonly availability: AvailabilityService,
  ) {}

  @Get()
  @Page('calendar/index', 'calendar/_week')
  async week(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView> {
    const parsed = await validateInput(CalendarQuery, withoutEmptyValues(raw));
    const query = parsed.ok ? parsed.value : new CalendarQuery();
    const monday = weekStart((query.week && parseLocalDate(query.week)) || this.clock.today());
    const from = this.clock.instantOf(monday.toPlainDateTime()) ?? new Date(0);
    const to = this.clock.instantOf(monday.add({ weeks: 1 }).toPlainDateTime()) ?? new Date(0);
    const sessions = parsed.ok ? await this.sessions.startingBetween(from, to, query.therapist_id) : [];
    const free =
      parsed.ok && query.therapist_id !== undefined
        ? (await this.availability.freeSlots(query.therapist_id, from, to, DEFAULT_DURATION_MINUTES)).slots
        : undefined;
    const model = {
      title: 'Calendar',
      nav: { calendar: true },
      ...toCalendarView(
        monday,
        sessions,
        this.clock,
        query.therapist_id,
        free?.map((slot) => slot.start),
      ),
      errors: parsed.ok ? [] : parsed.errors,
      timeZone: this.clock.timeZone,
      ...(isHtmx(request)
        ? {}
        : { therapistOptions: personOptions(await this.therapists.names(), query.therapist_id) }),
    };
    return new PageView(model, { status: parsed.ok ? 200 : 400 });
  }
}
