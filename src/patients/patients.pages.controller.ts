import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, type PageView, type Redirect } from '../common/web/page.js';
import type { PersonListView } from '../people/person-list.view.js';
import { toPersonPageView } from '../people/person-page.view.js';
import {
  PATIENT_NAV,
  PATIENTS,
  patientPages,
  toPatientView,
  type PatientFormView,
  type PatientPages,
  type PatientPageView,
} from './patient.view.js';
import { PatientsService } from './patients.service.js';

/** Staff pages for patients: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Controller('patients')
export class PatientsPagesController {
  private readonly pages: PatientPages;

  constructor(
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
  ) {
    this.pages = patientPages(patients, clock);
  }

  @Get()
  @Page('people/index', 'people/_results')
  list(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView<PersonListView>> {
    return this.pages.list(raw, isHtmx(request));
  }

  @Get('new')
  @Page('people/form')
  newForm(): PatientFormView {
    return this.pages.newForm();
  }

  @Post()
  @Page('people/form', 'patients/_form')
  create(@Body() body: Record<string, unknown>): Promise<PageView<PatientFormView> | Redirect> {
    return this.pages.create(body);
  }

  @Get(':id')
  @Page('patients/show')
  async show(@IdParam() id: number): Promise<PatientPageView> {
    const patient = await this.patients.get(id);
    return toPersonPageView(PATIENTS, PATIENT_NAV, toPatientView(patient, this.clock));
  }

  @Get(':id/edit')
  @Page('people/form')
  editForm(@IdParam() id: number): Promise<PatientFormView> {
    return this.pages.editForm(id);
  }

  @Post(':id')
  @Page('people/form', 'patients/_form')
  update(
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PageView<PatientFormView> | Redirect> {
    return this.pages.update(id, body);
  }
}
