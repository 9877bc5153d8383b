import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { IdParam } from '../common/http/id-param.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { validationProblem } from '../common/problems/problem.exception.js';
import { validateInput } from '../common/validation/validate-input.js';
import { safeReturnPath } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { BookWaitlistEntryDto, WaitlistMatchesQuery } from '../waitlist/dto/waitlist.dto.js';
import { WaitlistService } from '../waitlist/waitlist.service.js';
import { toWaitlistMatchesView, type WaitlistMatchesView } from '../waitlist/waitlist.view.js';
import { sessionBooked } from './session-confirmations.js';
import { sessionProblemOf } from './session-problem.view.js';
import { WaitlistBookingService } from './waitlist-booking.service.js';

interface BookingRefusedView {
  title: string;
  error: string;
  back: string;
}

interface MatchesPageView {
  title: string;
  nav: Record<string, boolean>;
  matches: WaitlistMatchesView;
}

/**
 * One-click booking from the waitlist (the buttons on a cancelled session's page, the day sheet's free time and
 * the matches page), and that page itself. A refused booking says why, with the way back; the entry stays open.
 */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('waitlist')
export class WaitlistBookingPagesController {
  constructor(
    private readonly booking: WaitlistBookingService,
    private readonly waitlist: WaitlistService,
    private readonly clock: ClinicClock,
  ) {}

  /** `?therapist_id=&start=&end=`: who could take this free time, each with a button that books them into it. */
  @Get('matches')
  @Page('waitlist/matches')
  async matches(@Query() query: WaitlistMatchesQuery): Promise<MatchesPageView> {
    const slot = { therapistId: query.therapist_id, start: new Date(query.start), end: new Date(query.end) };
    const back = `/day?date=${this.clock.localDate(slot.start).toString()}`;
    const matches = toWaitlistMatchesView(await this.waitlist.matches(slot), slot, this.clock, back);
    return { title: 'Waiting patients for a free slot', nav: { waitlist: true }, matches };
  }

  @Post(':id/book')
  @Page('waitlist/book-refused')
  async book(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<BookingRefusedView> | Redirect> {
    // An entry the user cannot see is the 404 page, whatever the form holds.
    await this.waitlist.get(id);
    const back = safeReturnPath(body.back, '/waitlist');
    const refused = (error: string, status: number): PageView<BookingRefusedView> =>
      new PageView({ title: 'Not booked', error, back }, { status });
    const input = Object.fromEntries(
      ['therapist_id', 'date', 'duration_minutes'].flatMap((field) =>
        body[field] === undefined || body[field] === '' ? [] : [[field, body[field]]],
      ),
    );
    const parsed = await validateInput(BookWaitlistEntryDto, input);
    if (!parsed.ok) {
      const problem = validationProblem(parsed.errors);
      return refused(problem.message, problem.getStatus());
    }
    try {
      const session = await this.booking.book(id, parsed.value);
      const who = session.patient.$.name;
      return redirectTo(
        `/sessions/${session.id}`,
        `${sessionBooked(session, this.clock)} for ${who}, from the waitlist`,
      );
    } catch (error) {
      const problem = sessionProblemOf(this.clock)(error);
      if (!problem) throw error;
      return refused(problem.message, problem.getStatus());
    }
  }
}
