import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ClinicClock } from '../common/time/clinic-time.js';
import { PeoplePagesController } from '../people/people.pages.controller.js';
import {
  patientPages,
  toPatientPageView,
  type PatientPages,
  type PatientPageView,
  type PatientTypes,
} from './patient.view.js';
import { PatientsService } from './patients.service.js';
import { Roles } from '../access/access.decorators.js';

/** Staff pages for patients: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('patients')
export class PatientsPagesController extends PeoplePagesController<PatientTypes> {
  protected readonly pages: PatientPages;

  constructor(
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
  ) {
    super();
    this.pages = patientPages(patients, clock);
  }

  protected async pageView(id: number): Promise<PatientPageView> {
    return toPatientPageView(await this.patients.get(id), this.clock);
  }
}
