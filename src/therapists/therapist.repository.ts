import type { FilterQuery } from '@mikro-orm/postgresql';
import { PersonRepository } from '../people/person.repository.js';
import type { Therapist } from './therapist.entity.js';

export class TherapistRepository extends PersonRepository<Therapist> {
  /** A therapist sees their own record only. */
  protected seenBy(therapistId: number): FilterQuery<Therapist> {
    return { id: therapistId };
  }

  /** For request validation, which must name an unknown therapist without loading (or locking) the row. */
  async exists(id: number): Promise<boolean> {
    return (await this.count({ id })) > 0;
  }
}
