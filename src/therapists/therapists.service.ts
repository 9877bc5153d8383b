import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../common/pagination/page.js';
import type { PersonListCriteria } from '../common/people/person-list.query.js';
import { definedOnly } from '../common/objects.js';
import { notFoundProblem } from '../common/problems/problem.exception.js';
import type { CreateTherapistDto, UpdateTherapistDto } from './dto/therapist.dto.js';
import { DEFAULT_BUFFER_MINUTES, type Therapist } from './therapist.entity.js';
import { TherapistRepository } from './therapist.repository.js';

@Injectable()
export class TherapistsService {
  constructor(
    private readonly therapists: TherapistRepository,
    private readonly em: EntityManager,
  ) {}

  list(criteria: PersonListCriteria): Promise<Page<Therapist>> {
    return this.therapists.findPage(criteria);
  }

  names(): Promise<{ id: number; name: string }[]> {
    return this.therapists.findNames();
  }

  async get(id: number): Promise<Therapist> {
    const therapist = await this.therapists.findOne(id);
    if (!therapist) throw notFoundProblem(`Therapist ${id} does not exist.`);
    return therapist;
  }

  async create(input: CreateTherapistDto): Promise<Therapist> {
    const therapist = this.therapists.create({
      name: input.name,
      email: input.email,
      specialty: input.specialty ?? null,
      timeZone: input.time_zone ?? null,
      bufferMinutes: input.buffer_minutes ?? DEFAULT_BUFFER_MINUTES,
    });
    await this.em.flush();
    return therapist;
  }

  async update(id: number, input: UpdateTherapistDto): Promise<Therapist> {
    const therapist = await this.get(id);
    this.therapists.assign(
      therapist,
      definedOnly({
        name: input.name,
        email: input.email,
        specialty: input.specialty,
        timeZone: input.time_zone,
        bufferMinutes: input.buffer_minutes,
      }),
    );
    await this.em.flush();
    return therapist;
  }
}
