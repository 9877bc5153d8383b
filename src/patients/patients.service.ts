import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { definedOnly } from '../common/objects.js';
import type { Page } from '../common/pagination/page.js';
import type { PersonListCriteria } from '../common/people/person-list.query.js';
import { notFoundProblem } from '../common/problems/problem.exception.js';
import type { CreatePatientDto, UpdatePatientDto } from './dto/patient.dto.js';
import type { Patient } from './patient.entity.js';
import { PatientRepository } from './patient.repository.js';

@Injectable()
export class PatientsService {
  constructor(
    private readonly patients: PatientRepository,
    private readonly em: EntityManager,
  ) {}

  list(criteria: PersonListCriteria): Promise<Page<Patient>> {
    return this.patients.findPage(criteria);
  }

  names(): Promise<{ id: number; name: string }[]> {
    return this.patients.findNames();
  }

  async get(id: number): Promise<Patient> {
    const patient = await this.patients.findOne(id);
    if (!patient) throw notFoundProblem(`Patient ${id} does not exist.`);
    return patient;
  }

  async create(input: CreatePatientDto): Promise<Patient> {
    const patient = this.patients.create({
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      dateOfBirth: input.date_of_birth ?? null,
    });
    await this.em.flush();
    return patient;
  }

  async update(id: number, input: UpdatePatientDto): Promise<Patient> {
    const patient = await this.get(id);
    this.patients.assign(
      patient,
      definedOnly({
        name: input.name,
        email: input.email,
        phone: input.phone,
        dateOfBirth: input.date_of_birth,
      }),
    );
    await this.em.flush();
    return patient;
  }
}
