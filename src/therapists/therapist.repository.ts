import { PersonRepository } from '../database/person.repository.js';
import type { Therapist } from './therapist.entity.js';

export class TherapistRepository extends PersonRepository<Therapist> {}
