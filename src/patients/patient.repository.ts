import { PersonRepository } from '../people/person.repository.js';
import type { Patient } from './patient.entity.js';

export class PatientRepository extends PersonRepository<Patient> {
  /** For request validation, which must name an unknown patient without loading the row. */
  async exists(id: number): Promise<boolean> {
    return (await this.count({ id })) > 0;
  }
}
