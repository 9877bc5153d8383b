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
import { AccessScope } from '../access/access-scope.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import { toAuditRowView } from '../audit/audit.view.js';

/** How many of the latest accesses the patient's page lists; the audit page has the rest. */
const ACCESS_LOG_ROWS = 10;

/** Staff pages for patients: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('patients')
export class PatientsPagesController extends PeoplePagesController<PatientTypes> {
  protected readonly pages: PatientPages;

  constructor(
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
    private readonly scope: AccessScope,
    private readonly trail: AuditTrailService,
  ) {
    super();
    this.pages = patientPages(patients, clock);
  }

  protected async pageView(id: number): Promise<PatientPageView> {
    const view = toPatientPageView(await this.patients.get(id), this.clock);
    if (!this.scope.may('readAudit')) return view;
    const rows = await this.trail.forPatient(id, ACCESS_LOG_ROWS);
    return {
      ...view,
      accessLog: {
        rows: rows.map((row) => toAuditRowView(row, this.clock)),
        allUrl: `/admin/audit?patient_id=${id}`,
      },
    };
  }
}
