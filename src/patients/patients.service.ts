import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { AuditService } from '../audit/audit.service.js';
import type { Page } from '../common/pagination/page.js';
import type { PersonListCriteria } from '../people/person-list.query.js';
import { EntityManager } from '@mikro-orm/postgresql';
import { definedOnly } from '../common/objects.js';
import { PeopleService } from '../people/people.service.js';
import type { CreatePatientDto, UpdatePatientDto } from './dto/patient.dto.js';
import type { Patient } from './patient.entity.js';
import { PatientRepository } from './patient.repository.js';

@Injectable()
export class PatientsService extends PeopleService<Patient, CreatePatientDto, UpdatePatientDto> {
  protected readonly noun = 'Patient';

  constructor(
    private readonly patients: PatientRepository,
    em: EntityManager,
    scope: AccessScope,
    private readonly audit: AuditService,
  ) {
    super(patients, em, scope);
  }

  protected override traceRead(patient: Patient): Promise<void> {
    return this.audit.recordRead('patient', patient.id, patient.id);
  }

  protected override traceList(criteria: PersonListCriteria, page: Page<Patient>): Promise<void> {
    return this.audit.recordList('patient', {
      searched: criteria.q ? true : undefined,
      page: page.page,
      shown: page.items.length,
    });
  }

  protected build(input: CreatePatientDto): Patient {
    return this.patients.create({
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      dateOfBirth: input.date_of_birth ?? null,
    });
  }

  protected change(patient: Patient, input: UpdatePatientDto): void {
    this.patients.assign(
      patient,
      definedOnly({
        name: input.name,
        email: input.email,
        phone: input.phone,
        dateOfBirth: input.date_of_birth,
      }),
    );
  }
}
