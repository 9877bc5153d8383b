import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import type { PersonListView } from '../people/person-list.view.js';
import { toPersonPageView } from '../people/person-page.view.js';
import { WorkingHoursIntervalDto } from './dto/working-hours.dto.js';
import {
  THERAPIST_NAV,
  THERAPISTS,
  therapistPages,
  toTherapistView,
  type TherapistFormView,
  type TherapistPages,
  type TherapistPageView,
} from './therapist.view.js';
import { TherapistsService } from './therapists.service.js';
import {
  EMPTY_INTERVAL,
  intervalFormValues,
  toWorkingHoursView,
  workingHoursInput,
  type IntervalFormValues,
} from './working-hours.view.js';
import { WorkingHoursService } from './working-hours.service.js';

/** Staff pages for therapists: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Controller('therapists')
export class TherapistsPagesController {
  private readonly pages: TherapistPages;

  constructor(
    private readonly therapists: TherapistsService,
    private readonly clock: ClinicClock,
    private readonly workingHours: WorkingHoursService,
  ) {
    this.pages = therapistPages(therapists, clock);
  }

  @Get()
  @Page('people/index', 'people/_results')
  list(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView<PersonListView>> {
    return this.pages.list(raw, isHtmx(request));
  }

  @Get('new')
  @Page('people/form')
  newForm(): TherapistFormView {
    return this.pages.newForm();
  }

  @Post()
  @Page('people/form', 'therapists/_form')
  create(@Body() body: Record<string, unknown>): Promise<PageView<TherapistFormView> | Redirect> {
    return this.pages.create(body);
  }

  @Get(':id')
  @Page('therapists/show')
  show(@IdParam() id: number): Promise<TherapistPageView> {
    return this.pageView(id, EMPTY_INTERVAL);
  }

  /** Adds a working-hours interval (the form on the therapist's page). */
  @Post(':id/working-hours')
  @Page('therapists/show', 'therapists/_working_hours')
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
      showProblem: (problem) => this.pageView(id, values, problem),
    });
  }

  @Post(':id/working-hours/:intervalId/delete')
  @Page('therapists/show')
  async removeWorkingHours(
    @IdParam() id: number,
    @IdParam('intervalId') intervalId: number,
  ): Promise<Redirect> {
    await this.workingHours.remove(id, intervalId);
    return redirectTo(`/therapists/${id}#working-hours`);
  }

  @Get(':id/edit')
  @Page('people/form')
  editForm(@IdParam() id: number): Promise<TherapistFormView> {
    return this.pages.editForm(id);
  }

  @Post(':id')
  @Page('people/form', 'therapists/_form')
  update(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<TherapistFormView> | Redirect> {
    return this.pages.update(id, body);
  }

  /** The therapist's page, its working-hours form showing `interval` (and the problem of a failed add). */
  private async pageView(
    id: number,
    interval: IntervalFormValues,
    problem?: ProblemException,
  ): Promise<TherapistPageView> {
    const therapist = await this.therapists.get(id);
    const schedule = await this.workingHours.get(id);
    return {
      ...toPersonPageView(THERAPISTS, THERAPIST_NAV, toTherapistView(therapist, this.clock)),
      workingHours: toWorkingHoursView(schedule, interval, problem?.errors ?? [], problem),
    };
  }
}
