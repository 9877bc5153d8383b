import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { handleFormPost } from '../common/web/form-post.js';
import { Page, redirectTo, type PageView, type Redirect } from '../common/web/page.js';
import { WorkingHoursIntervalDto } from './dto/working-hours.dto.js';
import {
  EMPTY_INTERVAL,
  intervalAdded,
  intervalFormValues,
  therapistHoursUrl,
  toWorkingHoursPageView,
  workingHoursInput,
  type IntervalFormValues,
  type WorkingHoursPageView,
} from './working-hours.view.js';
import { WorkingHoursService } from './working-hours.service.js';
import { Roles } from '../access/access.decorators.js';

const PAGE = 'scheduling/working-hours';
const FRAGMENT = 'scheduling/_working_hours';

/**
 * A therapist's weekly working hours and their form. The therapist's page loads this section (htmx), so the people
 * pages never depend on scheduling; without JavaScript the page links here and gets it as a page of its own.
 */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('therapists/:id/working-hours')
export class WorkingHoursPagesController {
  constructor(private readonly workingHours: WorkingHoursService) {}

  @Get()
  @Page(PAGE, FRAGMENT)
  show(@IdParam() id: number): Promise<WorkingHoursPageView> {
    return this.pageView(id, EMPTY_INTERVAL);
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
        return redirectTo(therapistHoursUrl(id), intervalAdded(interval));
      },
      showProblem: (problem) => this.pageView(id, values, problem),
    });
  }

  @Post(':intervalId/delete')
  @Page(PAGE)
  async remove(@IdParam() id: number, @IdParam('intervalId') intervalId: number): Promise<Redirect> {
    await this.workingHours.remove(id, intervalId);
    return redirectTo(therapistHoursUrl(id), 'Working hours removed');
  }

  private async pageView(
    id: number,
    interval: IntervalFormValues,
    problem?: ProblemException,
  ): Promise<WorkingHoursPageView> {
    return toWorkingHoursPageView(await this.workingHours.get(id), interval, problem);
  }
}
