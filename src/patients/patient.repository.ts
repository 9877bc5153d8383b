import { PersonRepository } from '../people/person.repository.js';
import type { Patient } from './patient.entity.js';

export class PatientRepository extends PersonRepository<Patient> {}
