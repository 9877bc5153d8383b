import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { AccessScope } from '../access/access-scope.js';
import { IdParam } from '../common/http/id-param.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { Page, redirectTo, type PageView, type Redirect } from '../common/web/page.js';
import { PatientsService } from '../patients/patients.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import { CreateWaitlistEntryDto, ListWaitlistQuery } from './dto/waitlist.dto.js';
import { WaitlistService } from './waitlist.service.js';
import {
  emptyWaitlistForm,
  toWaitlistPageView,
  WAITLIST_PATH,
  waitlistFormValues,
  waitlistInput,
  type WaitlistFormValues,
  type WaitlistPageView,
} from './waitlist.view.js';

/** The waitlist page: who is waiting, longest first; adding someone; taking them off after confirming. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('waitlist')
export class WaitlistPagesController {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly therapists: TherapistsService,
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
    private readonly scope: AccessScope,
  ) {}

  @Get()
  @Page('waitlist/index', 'waitlist/_list')
  list(@Query() query: ListWaitlistQuery): Promise<WaitlistPageView> {
    return this.pageView(query, emptyWaitlistForm(this.clock));
  }

  @Post()
  @Page('waitlist/index')
  add(@Body() body: Record<string, unknown>): Promise<PageView<WaitlistPageView> | Redirect> {
    const values = waitlistFormValues(body);
    return handleFormPost({
      dto: CreateWaitlistEntryDto,
      input: waitlistInput(values),
      run: async (dto) => {
        const entry = await this.waitlist.add(dto);
        return redirectTo(WAITLIST_PATH, `${entry.patient.getEntity().name} added to the waitlist`);
      },
      showProblem: (problem) => this.pageView(new ListWaitlistQuery(), values, problem),
    });
  }

  @Post(':id/remove')
  @Page('waitlist/index')
  async remove(@IdParam() id: number): Promise<Redirect> {
    const entry = await this.waitlist.get(id);
    await this.waitlist.remove(id);
    return redirectTo(WAITLIST_PATH, `${entry.patient.getEntity().name} taken off the waitlist`);
  }

  private async pageView(
    query: ListWaitlistQuery,
    values: WaitlistFormValues,
    problem?: ProblemException,
  ): Promise<WaitlistPageView> {
    const [page, therapists, patients] = await Promise.all([
      this.waitlist.list(query),
      this.therapists.names(),
      this.patients.names(),
    ]);
    const choosesTherapist = this.scope.ownTherapistId === undefined;
    return toWaitlistPageView(page, { values, therapists, patients, choosesTherapist }, this.clock, problem);
  }
}
