import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { AuditService } from '../audit/audit.service.js';
import type { Page } from '../common/pagination/page.js';
import type { PersonListCriteria } from '../people/person-list.query.js';
import { EntityManager } from '@mikro-orm/postgresql';
import { definedOnly } from '../common/objects.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { PeopleService } from '../people/people.service.js';
import type { CreatePatientDto, UpdatePatientDto } from './dto/patient.dto.js';
import type { Patient } from './patient.entity.js';

/** A possible duplicate, as the 409 lists it (and the form links it). */
const toDuplicateSummary = (patient: Patient): Record<string, unknown> => ({
  id: patient.id,
  name: patient.name,
  date_of_birth: patient.dateOfBirth,
  phone: patient.phone,
  url: `/patients/${patient.id}`,
});
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

  /**
   * The same name (whatever its case and accents) and date of birth, or the same phone number (whatever its
   * punctuation), as a patient on file: probably the same person, unless the desk confirms they are not.
   */
  protected override async checkNew(input: CreatePatientDto): Promise<void> {
    if (input.confirm_duplicate === true) return;
    const duplicates = await this.patients.findPossibleDuplicates({
      name: input.name,
      dateOfBirth: input.date_of_birth ?? null,
      phone: input.phone ?? null,
    });
    if (duplicates.length === 0) return;
    throw new ProblemException(
      'possible-duplicate',
      `${duplicates.length === 1 ? 'A patient' : 'Patients'} with the same name and date of birth, or the same phone number, already on file: check ${duplicates.length === 1 ? 'it is' : 'they are'} not the same person, or confirm that this is another one.`,
      { extensions: { duplicates: duplicates.map(toDuplicateSummary) } },
    );
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
