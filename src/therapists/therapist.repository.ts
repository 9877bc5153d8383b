import { PersonRepository } from '../people/person.repository.js';
import type { Therapist } from './therapist.entity.js';

export class TherapistRepository extends PersonRepository<Therapist> {}
