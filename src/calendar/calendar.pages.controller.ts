import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClinicClock } from '../common/time/clinic-time.js';
import { parseLocalDate } from '../common/validation/decorators.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, PageView } from '../common/web/page.js';
import { therapistPage } from '../common/web/therapist-page.js';
import { AvailabilityService } from '../sessions/availability.service.js';
import { DEFAULT_DURATION_MINUTES } from '../sessions/session.entity.js';
import { SessionReadsService } from '../sessions/session-reads.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import type { TimeSpan } from '../scheduling/schedule-rules.js';
import { UnavailabilityService } from '../scheduling/unavailability.service.js';
import { notesOfWeek, withNotes, type WeekAway } from './calendar-away.js';
import { CalendarQuery } from './calendar.query.js';
import {
  calendarUrl,
  toCalendarPageView,
  weekRange,
  weekStart,
  WEEK_THERAPISTS,
  type CalendarPageView,
} from './calendar.view.js';
import { Roles } from '../access/access.decorators.js';

/** A week of sessions, Monday to Sunday, for one therapist or everyone. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('calendar')
export class CalendarPagesController {
  constructor(
    private readonly sessions: SessionReadsService,
    private readonly therapists: TherapistsService,
    private readonly clock: ClinicClock,
    private readonly availability: AvailabilityService,
    private readonly unavailability: UnavailabilityService,
  ) {}

  @Get()
  @Page('calendar/index', 'calendar/_week')
  async week(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<PageView<CalendarPageView>> {
    const parsed = await validateInput(CalendarQuery, withoutEmptyValues(raw));
    const query = parsed.ok ? parsed.value : new CalendarQuery();
    const monday = weekStart((query.week && parseLocalDate(query.week)) || this.clock.today());
    const { therapist_id: therapistId } = query;
    const { from, to } = weekRange(monday, this.clock.timeZone);
    const therapists = await this.therapists.names();
    const shown = therapistPage(therapists, query.page, WEEK_THERAPISTS, (page) =>
      calendarUrl(monday, undefined, page),
    );
    const shownIds = therapistId === undefined ? shown.items.map((therapist) => therapist.id) : [therapistId];
    const [sessions, free, away] = await Promise.all([
      !parsed.ok
        ? []
        : this.sessions.startingBetween(from, to, {
            therapistId,
            therapistIds:
              therapistId === undefined ? shown.items.map((therapist) => therapist.id) : undefined,
          }),
      parsed.ok && therapistId !== undefined
        ? this.availability.freeSlots(therapistId, from, to, DEFAULT_DURATION_MINUTES)
        : undefined,
      parsed.ok ? this.awayDuring(shownIds, therapists, { start: from, end: to }) : undefined,
    ]);
    const errors = parsed.ok ? [] : parsed.errors;
    const view = toCalendarPageView(
      {
        monday,
        sessions,
        therapistId,
        freeStarts: free?.slots.map((slot) => slot.start),
        errors,
        therapists: isHtmx(request) ? undefined : therapists,
        page: therapistId === undefined ? query.page : undefined,
        pager: therapistId === undefined ? shown.pager : {},
      },
      this.clock,
    );
    const notes = away ? notesOfWeek(monday, away, this.clock, therapistId !== undefined) : [];
    return new PageView(withNotes(view, notes), { status: parsed.ok ? 200 : 400 });
  }

  private async awayDuring(
    therapistIds: number[],
    therapists: { id: number; name: string }[],
    range: TimeSpan,
  ): Promise<WeekAway> {
    const [closures, timeOff] = await Promise.all([
      this.unavailability.closureSpans(range),
      this.unavailability.unavailableSpans(therapistIds, range),
    ]);
    return { closures, timeOff, names: new Map(therapists.map(({ id, name }) => [id, name])) };
  }
}
