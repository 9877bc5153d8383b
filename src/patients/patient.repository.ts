import { PersonRepository } from '../database/person.repository.js';
import type { Patient } from './patient.entity.js';

export class PatientRepository extends PersonRepository<Patient> {}
