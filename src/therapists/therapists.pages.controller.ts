import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import { personListPage } from '../common/people/person-list.view.js';
import { type ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { errorsByField, validateInput } from '../common/validation/validate-input.js';
import { formState, inputProblemOf } from '../common/web/form-view.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { personSessionsView } from '../sessions/person-sessions.view.js';
import { SessionReadsService } from '../sessions/session-reads.service.js';
import { CreateTherapistDto, UpdateTherapistDto } from './dto/therapist.dto.js';
import {
  THERAPIST_COLUMNS,
  therapistFormValues,
  therapistInput,
  therapistFormValuesOf,
  toTherapistView,
  type TherapistFormValues,
} from './therapist.view.js';
import { TherapistsService } from './therapists.service.js';
import { WorkingHoursIntervalDto } from '../scheduling/dto/working-hours.dto.js';
import {
  EMPTY_INTERVAL,
  intervalFormValues,
  toWorkingHoursView,
  type IntervalFormValues,
} from './working-hours.view.js';
import { WorkingHoursService } from '../scheduling/working-hours.service.js';

const NAV = { therapists: true };
const EMPTY_FORM: TherapistFormValues = {
  name: '',
  email: '',
  specialty: '',
  time_zone: '',
  buffer_minutes: '10',
};

/** Staff pages for therapists: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Controller('therapists')
export class TherapistsPagesController {
  constructor(
    private readonly therapists: TherapistsService,
    private readonly sessions: SessionReadsService,
    private readonly clock: ClinicClock,
    private readonly workingHours: WorkingHoursService,
  ) {}

  @Get()
  @Page('therapists/index', 'therapists/_results')
  list(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView> {
    return personListPage(
      {
        path: '/therapists',
        title: 'Therapists',
        nav: NAV,
        columns: THERAPIST_COLUMNS,
        list: (criteria) => this.therapists.list(criteria),
        toRow: (therapist) => toTherapistView(therapist, this.clock),
      },
      raw,
      isHtmx(request),
    );
  }

  @Get('new')
  @Page('therapists/new')
  newForm(): object {
    return this.newModel(EMPTY_FORM);
  }

  @Post()
  @Page('therapists/new', 'therapists/_form')
  async create(@Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const values = therapistFormValues(body);
    const parsed = await validateInput(CreateTherapistDto, therapistInput(values));
    if (!parsed.ok) {
      return new PageView(this.newModel(values, errorsByField(parsed.errors)), { status: 400 });
    }
    try {
      const therapist = await this.therapists.create(parsed.value);
      return redirectTo(`/therapists/${therapist.id}`);
    } catch (error) {
      const problem = inputProblemOf(error);
      if (!problem) throw error;
      return new PageView(this.newModel(values, errorsByField(problem.errors), problem), {
        status: problem.getStatus(),
      });
    }
  }

  @Get(':id')
  @Page('therapists/show')
  async show(@IdParam() id: number): Promise<object> {
    return this.showModel(id, EMPTY_INTERVAL, []);
  }

  /** Adds a working-hours interval (the form on the therapist's page). */
  @Post(':id/working-hours')
  @Page('therapists/show', 'therapists/_working_hours')
  async addWorkingHours(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView | Redirect> {
    const values = intervalFormValues(body);
    // A time field cannot hold 24:00: an end of 00:00 is midnight at the end of the day.
    const interval = { ...values, end: values.end === '00:00' ? '24:00' : values.end };
    const parsed = await validateInput(WorkingHoursIntervalDto, interval);
    try {
      if (!parsed.ok) throw validationProblem(parsed.errors);
      await this.workingHours.add(id, parsed.value);
      return redirectTo(`/therapists/${id}#working-hours`);
    } catch (error) {
      const problem = inputProblemOf(error);
      if (!problem) throw error;
      return new PageView(await this.showModel(id, values, problem.errors, problem), {
        status: problem.getStatus(),
      });
    }
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

  private async showModel(
    id: number,
    intervalValues: IntervalFormValues,
    intervalErrors: FieldError[],
    problem?: ProblemException,
  ): Promise<object> {
    const therapist = await this.therapists.get(id);
    const schedule = await this.workingHours.get(id);
    return {
      title: therapist.name,
      nav: NAV,
      therapist: toTherapistView(therapist, this.clock),
      workingHours: toWorkingHoursView(schedule, intervalValues, intervalErrors, problem),
      sessions: await personSessionsView(this.sessions, this.clock, { role: 'therapist', id }),
    };
  }

  @Get(':id/edit')
  @Page('therapists/edit')
  async editForm(@IdParam() id: number): Promise<object> {
    const therapist = await this.therapists.get(id);
    return this.editModel(therapist, therapistFormValuesOf(therapist));
  }

  @Post(':id')
  @Page('therapists/edit', 'therapists/_form')
  async update(@IdParam() id: number, @Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const therapist = await this.therapists.get(id);
    // What the page calls the therapist stays the stored name, even after a change that failed.
    const stored = { id: therapist.id, name: therapist.name };
    const values = therapistFormValues(body);
    const parsed = await validateInput(UpdateTherapistDto, therapistInput(values));
    if (!parsed.ok) {
      return new PageView(this.editModel(stored, values, errorsByField(parsed.errors)), { status: 400 });
    }
    try {
      await this.therapists.update(id, parsed.value);
      return redirectTo(`/therapists/${id}`);
    } catch (error) {
      const problem = inputProblemOf(error);
      if (!problem) throw error;
      return new PageView(this.editModel(stored, values, errorsByField(problem.errors), problem), {
        status: problem.getStatus(),
      });
    }
  }

  private newModel(
    values: TherapistFormValues,
    errors: Record<string, string> = {},
    problem?: ProblemException,
  ): object {
    return {
      title: 'New therapist',
      nav: NAV,
      form: {
        action: '/therapists',
        submitLabel: 'Add therapist',
        failure: 'The therapist was not added.',
        cancelUrl: '/therapists',
      },
      ...formState(values, errors, problem),
      ...this.zoneChoices(),
    };
  }

  private zoneChoices(): { clinicTimeZone: string; timeZones: string[] } {
    return { clinicTimeZone: this.clock.timeZone, timeZones: Intl.supportedValuesOf('timeZone') };
  }

  private editModel(
    therapist: { id: number; name: string },
    values: TherapistFormValues,
    errors: Record<string, string> = {},
    problem?: ProblemException,
  ): object {
    const url = `/therapists/${therapist.id}`;
    return {
      title: `Edit ${therapist.name}`,
      nav: NAV,
      therapist: { name: therapist.name, url },
      form: {
        action: url,
        submitLabel: 'Save changes',
        failure: 'The changes were not saved.',
        cancelUrl: url,
      },
      ...formState(values, errors, problem),
      ...this.zoneChoices(),
    };
  }
}
