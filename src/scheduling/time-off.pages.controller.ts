import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { IdParam } from '../common/http/id-param.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { Page, redirectTo, type PageView, type Redirect } from '../common/web/page.js';
import { CreateTimeOffDto } from './dto/unavailability.dto.js';
import { strandedFlash } from './stranded.view.js';
import { TimeOffService } from './time-off.service.js';
import {
  EMPTY_TIME_OFF,
  therapistTimeOffUrl,
  timeOffAdded,
  timeOffEntryUrl,
  timeOffFormValues,
  timeOffInput,
  toTimeOffEntryPageView,
  toTimeOffPageView,
  zoneOf,
  type TimeOffEntryPageView,
  type TimeOffPageView,
} from './time-off.view.js';

const PAGE = 'scheduling/time-off';
const FRAGMENT = 'scheduling/_time_off';

/**
 * A therapist's time off, like their working hours: a section their page loads (htmx), a page of its own without
 * JavaScript. Time off that leaves Scheduled sessions inside it leads to its own page, which lists them to move.
 */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('therapists/:id/time-off')
export class TimeOffPagesController {
  constructor(
    private readonly timeOff: TimeOffService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page(PAGE, FRAGMENT)
  async show(@IdParam() id: number): Promise<TimeOffPageView> {
    return toTimeOffPageView(await this.timeOff.ofTherapist(id), EMPTY_TIME_OFF);
  }

  @Post()
  @Page(PAGE, FRAGMENT)
  async add(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<TimeOffPageView> | Redirect> {
    const values = timeOffFormValues(body);
    const current = await this.timeOff.ofTherapist(id);
    const { input, errors } = timeOffInput(values, zoneOf(current));
    return handleFormPost({
      dto: CreateTimeOffDto,
      input,
      inputErrors: errors,
      run: async (dto) => {
        const { timeOff, stranded } = await this.timeOff.add(id, dto);
        const message = timeOffAdded(timeOff, zoneOf(current)) + strandedFlash(stranded.length);
        return redirectTo(stranded.length > 0 ? timeOffEntryUrl(timeOff) : therapistTimeOffUrl(id), message);
      },
      showProblem: (problem) => toTimeOffPageView(current, values, problem),
    });
  }

  /** One stretch of time off, the sessions still booked in it, and its removal. */
  @Get(':timeOffId')
  @Page('scheduling/time-off-entry')
  async entry(@IdParam() id: number, @IdParam('timeOffId') timeOffId: number): Promise<TimeOffEntryPageView> {
    const found = await this.timeOff.get(id, timeOffId);
    return toTimeOffEntryPageView(await this.timeOff.ofTherapist(id), found, this.clock);
  }

  @Post(':timeOffId/delete')
  @Page(PAGE)
  async remove(@IdParam() id: number, @IdParam('timeOffId') timeOffId: number): Promise<Redirect> {
    await this.timeOff.remove(id, timeOffId);
    return redirectTo(therapistTimeOffUrl(id), 'Time off removed');
  }
}
