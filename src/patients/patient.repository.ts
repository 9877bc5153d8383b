import { raw, type FilterQuery } from '@mikro-orm/postgresql';
import { PersonRepository } from '../people/person.repository.js';
import type { Patient } from './patient.entity.js';

export class PatientRepository extends PersonRepository<Patient> {
  protected override readonly searchesPhone = true;

  /** A therapist's patients: those they have or had a session with. */
  protected seenBy(therapistId: number): FilterQuery<Patient> {
    return {
      [raw(
        (alias) => `${alias}.id in (select s.patient_id from therapy_session s where s.therapist_id = ?)`,
        [therapistId],
      )]: [],
    };
  }

  /** For request validation, which must name an unknown patient without loading the row. */
  async exists(id: number): Promise<boolean> {
    return (await this.count({ id })) > 0;
  }
}
