import { raw, type FilterQuery } from '@mikro-orm/postgresql';
import { PersonRepository } from '../people/person.repository.js';
import type { Patient } from './patient.entity.js';

/** Fewer digits than this are not a phone number worth comparing (an extension, a typo). */
const MIN_PHONE_DIGITS = 6;
const MAX_DUPLICATES_SHOWN = 5;

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

  /** Patients with the same name (as searched: case and accents aside) and birth date, or the same phone digits. */
  findPossibleDuplicates(candidate: {
    name: string;
    dateOfBirth: string | null;
    phone: string | null;
  }): Promise<Patient[]> {
    const conditions: FilterQuery<Patient>[] = [];
    if (candidate.dateOfBirth !== null) {
      conditions.push({
        [raw((alias) => `search_normalize(${alias}.name)`)]: raw('search_normalize(?)', [candidate.name]),
        dateOfBirth: candidate.dateOfBirth,
      });
    }
    const digits = candidate.phone?.replace(/\D/g, '') ?? '';
    if (digits.length >= MIN_PHONE_DIGITS) {
      conditions.push({ [raw((alias) => `regexp_replace(${alias}.phone, '\\D', '', 'g')`)]: digits });
    }
    if (conditions.length === 0) return Promise.resolve([]);
    return this.find({ $or: conditions }, { orderBy: { id: 'asc' }, limit: MAX_DUPLICATES_SHOWN });
  }

  /** For request validation, which must name an unknown patient without loading the row. */
  async exists(id: number): Promise<boolean> {
    return (await this.count({ id })) > 0;
  }
}
