import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import { personListPage } from '../common/people/person-list.view.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { errorsByField, validateInput } from '../common/validation/validate-input.js';
import { formState, inputProblemOf } from '../common/web/form-view.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { personSessionsView } from '../sessions/person-sessions.view.js';
import { SessionReadsService } from '../sessions/session-reads.service.js';
import { CreatePatientDto, UpdatePatientDto } from './dto/patient.dto.js';
import {
  PATIENT_COLUMNS,
  patientFormValues,
  patientFormValuesOf,
  toPatientView,
  type PatientFormValues,
} from './patient.view.js';
import { PatientsService } from './patients.service.js';

const NAV = { patients: true };
const EMPTY_FORM: PatientFormValues = { name: '', email: '', phone: '', date_of_birth: '' };

/** Staff pages for patients: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Controller('patients')
export class PatientsPagesController {
  constructor(
    private readonly patients: PatientsService,
    private readonly sessions: SessionReadsService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page('patients/index', 'patients/_results')
  list(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView> {
    return personListPage(
      {
        path: '/patients',
        title: 'Patients',
        nav: NAV,
        columns: PATIENT_COLUMNS,
        list: (criteria) => this.patients.list(criteria),
        toRow: (patient) => toPatientView(patient, this.clock),
      },
      raw,
      isHtmx(request),
    );
  }

  @Get('new')
  @Page('patients/new')
  newForm(): object {
    return this.newModel(EMPTY_FORM);
  }

  @Post()
  @Page('patients/new', 'patients/_form')
  async create(@Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const values = patientFormValues(body);
    const parsed = await validateInput(CreatePatientDto, values);
    if (!parsed.ok) {
      return new PageView(this.newModel(values, errorsByField(parsed.errors)), { status: 400 });
    }
    try {
      const patient = await this.patients.create(parsed.value);
      return redirectTo(`/patients/${patient.id}`);
    } catch (error) {
      const problem = inputProblemOf(error);
      if (!problem) throw error;
      return new PageView(this.newModel(values, errorsByField(problem.errors), problem), {
        status: problem.getStatus(),
      });
    }
  }

  @Get(':id')
  @Page('patients/show')
  async show(@IdParam() id: number): Promise<object> {
    const patient = await this.patients.get(id);
    return {
      title: patient.name,
      nav: NAV,
      patient: toPatientView(patient, this.clock),
      sessions: await personSessionsView(this.sessions, this.clock, { role: 'patient', id }),
    };
  }

  @Get(':id/edit')
  @Page('patients/edit')
  async editForm(@IdParam() id: number): Promise<object> {
    const patient = await this.patients.get(id);
    return this.editModel(patient, patientFormValuesOf(patient));
  }

  @Post(':id')
  @Page('patients/edit', 'patients/_form')
  async update(@IdParam() id: number, @Body() body: Record<string, unknown>): Promise<PageView | Redirect> {
    const patient = await this.patients.get(id);
    // What the page calls the patient stays the stored name, even after a change that failed.
    const stored = { id: patient.id, name: patient.name };
    const values = patientFormValues(body);
    const parsed = await validateInput(UpdatePatientDto, values);
    if (!parsed.ok) {
      return new PageView(this.editModel(stored, values, errorsByField(parsed.errors)), { status: 400 });
    }
    try {
      await this.patients.update(id, parsed.value);
      return redirectTo(`/patients/${id}`);
    } catch (error) {
      const problem = inputProblemOf(error);
      if (!problem) throw error;
      return new PageView(this.editModel(stored, values, errorsByField(problem.errors), problem), {
        status: problem.getStatus(),
      });
    }
  }

  private newModel(
    values: PatientFormValues,
    errors: Record<string, string> = {},
    problem?: ProblemException,
  ): object {
    return {
      title: 'New patient',
      nav: NAV,
      form: {
        action: '/patients',
        submitLabel: 'Add patient',
        failure: 'The patient was not added.',
        cancelUrl: '/patients',
      },
      maxBirthDate: this.clock.today().toString(),
      ...formState(values, errors, problem),
    };
  }

  private editModel(
    patient: { id: number; name: string },
    values: PatientFormValues,
    errors: Record<string, string> = {},
    problem?: ProblemException,
  ): object {
    const url = `/patients/${patient.id}`;
    return {
      title: `Edit ${patient.name}`,
      nav: NAV,
      patient: { name: patient.name, url },
      form: {
        action: url,
        submitLabel: 'Save changes',
        failure: 'The changes were not saved.',
        cancelUrl: url,
      },
      maxBirthDate: this.clock.today().toString(),
      ...formState(values, errors, problem),
    };
  }
}
