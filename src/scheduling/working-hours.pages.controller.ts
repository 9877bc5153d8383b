import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { Page, redirectTo, type PageView, type Redirect } from '../common/web/page.js';
import { WorkingHoursIntervalDto } from './dto/working-hours.dto.js';
import { strandedFlash } from './stranded.view.js';
import type { StrandedSession } from './unavailability.service.js';
import {
  EMPTY_INTERVAL,
  intervalAdded,
  intervalFormValues,
  therapistHoursUrl,
  toWorkingHoursPageView,
  workingHoursInput,
  workingHoursUrl,
  type WorkingHoursPageView,
  type WorkingHoursState,
} from './working-hours.view.js';
import { WorkingHoursService } from './working-hours.service.js';
import { Roles } from '../access/access.decorators.js';

const PAGE = 'scheduling/working-hours';
const FRAGMENT = 'scheduling/_working_hours';

/**
 * A therapist's weekly working hours and their form. The therapist's page loads this section (htmx), so the people
 * pages never depend on scheduling; without JavaScript the page links here and gets it as a page of its own. The
 * section lists the Scheduled sessions the hours (or time off, or closures) leave out; a change that leaves some
 * out leads here, where they are listed without JavaScript too.
 */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('therapists/:id/working-hours')
export class WorkingHoursPagesController {
  constructor(
    private readonly workingHours: WorkingHoursService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page(PAGE, FRAGMENT)
  show(@IdParam() id: number): Promise<WorkingHoursPageView> {
    return this.pageView(id, { values: EMPTY_INTERVAL });
  }

  /** Adds an interval; after a success the therapist's page shows the section again, scrolled to it. */
  @Post()
  @Page(PAGE, FRAGMENT)
  add(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<WorkingHoursPageView> | Redirect> {
    const values = intervalFormValues(body);
    return handleFormPost({
      dto: WorkingHoursIntervalDto,
      input: workingHoursInput(values),
      run: async (interval) => {
        await this.workingHours.add(id, interval);
        return this.changed(id, intervalAdded(interval), await this.workingHours.strandedBy(id));
      },
      showProblem: (problem) => this.pageView(id, { values, problem }),
    });
  }

  /** Changes one interval in place (its edit form); a refusal shows that form again, open, with the problem. */
  @Post(':intervalId')
  @Page(PAGE, FRAGMENT)
  update(
    @IdParam() id: number,
    @IdParam('intervalId') intervalId: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<WorkingHoursPageView> | Redirect> {
    const values = intervalFormValues(body);
    return handleFormPost({
      dto: WorkingHoursIntervalDto,
      input: workingHoursInput(values),
      run: async (interval) => {
        const { stranded } = await this.workingHours.update(id, intervalId, interval);
        return this.changed(id, intervalAdded(interval, 'changed'), stranded);
      },
      showProblem: (problem) =>
        this.pageView(id, { values: EMPTY_INTERVAL, edit: { id: intervalId, values, problem } }),
    });
  }

  @Post(':intervalId/delete')
  @Page(PAGE)
  async remove(@IdParam() id: number, @IdParam('intervalId') intervalId: number): Promise<Redirect> {
    await this.workingHours.remove(id, intervalId);
    return this.changed(id, 'Working hours removed', await this.workingHours.strandedBy(id));
  }

  /** Back to the therapist's page, or to the section's own page when sessions are left out, to list them. */
  private changed(id: number, message: string, stranded: StrandedSession[]): Redirect {
    const url = stranded.length > 0 ? `${workingHoursUrl(id)}#stranded-heading` : therapistHoursUrl(id);
    return redirectTo(url, message + strandedFlash(stranded.length));
  }

  private async pageView(
    id: number,
    state: Omit<WorkingHoursState, 'stranded'>,
  ): Promise<WorkingHoursPageView> {
    const schedule = await this.workingHours.get(id);
    const stranded = await this.workingHours.strandedBy(id);
    return toWorkingHoursPageView(schedule, { ...state, stranded }, this.clock);
  }
}
