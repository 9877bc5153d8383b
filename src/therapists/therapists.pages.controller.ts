import { Body, Controller, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { Page, redirectTo, type PageView, type Redirect } from '../common/web/page.js';
import { PeoplePagesController } from '../people/people.pages.controller.js';
import { WorkingHoursIntervalDto } from '../scheduling/dto/working-hours.dto.js';
import {
  therapistPages,
  toTherapistPageView,
  type TherapistPages,
  type TherapistPageView,
  type TherapistTypes,
} from './therapist.view.js';
import { TherapistsService } from './therapists.service.js';
import {
  EMPTY_INTERVAL,
  intervalFormValues,
  workingHoursInput,
  type IntervalFormValues,
} from './working-hours.view.js';
import { WorkingHoursService } from '../scheduling/working-hours.service.js';

/** Staff pages for therapists: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Controller('therapists')
export class TherapistsPagesController extends PeoplePagesController<TherapistTypes> {
  protected readonly pages: TherapistPages;

  constructor(
    private readonly therapists: TherapistsService,
    private readonly clock: ClinicClock,
    private readonly workingHours: WorkingHoursService,
  ) {
    super();
    this.pages = therapistPages(therapists, clock);
  }

  protected pageView(id: number): Promise<TherapistPageView> {
    return this.withWorkingHours(id, EMPTY_INTERVAL);
  }

  /** Adds a working-hours interval (the form on the therapist's page). */
  @Post(':id/working-hours')
  @Page('people/show', 'therapists/_working_hours')
  addWorkingHours(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<TherapistPageView> | Redirect> {
    const values = intervalFormValues(body);
    return handleFormPost({
      dto: WorkingHoursIntervalDto,
      input: workingHoursInput(values),
      run: async (interval) => {
        await this.workingHours.add(id, interval);
        return redirectTo(`/therapists/${id}#working-hours`);
      },
      showProblem: (problem) => this.withWorkingHours(id, values, problem),
    });
  }

  @Post(':id/working-hours/:intervalId/delete')
  @Page('people/show')
  async removeWorkingHours(
    @IdParam() id: number,
    @IdParam('intervalId') intervalId: number,
  ): Promise<Redirect> {
    await this.workingHours.remove(id, intervalId);
    return redirectTo(`/therapists/${id}#working-hours`);
  }

  private async withWorkingHours(
    id: number,
    interval: IntervalFormValues,
    problem?: ProblemException,
  ): Promise<TherapistPageView> {
    const therapist = await this.therapists.get(id);
    return toTherapistPageView(therapist, this.clock, await this.workingHours.get(id), interval, problem);
  }
}
