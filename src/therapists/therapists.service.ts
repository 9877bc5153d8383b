import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access/access-scope.js';
import { EntityManager } from '@mikro-orm/postgresql';
import { definedOnly } from '../common/objects.js';
import { PeopleService } from '../people/people.service.js';
import type { CreateTherapistDto, UpdateTherapistDto } from './dto/therapist.dto.js';
import { DEFAULT_BUFFER_MINUTES, type Therapist } from './therapist.entity.js';
import { TherapistRepository } from './therapist.repository.js';

@Injectable()
export class TherapistsService extends PeopleService<Therapist, CreateTherapistDto, UpdateTherapistDto> {
  protected readonly noun = 'Therapist';

  constructor(
    private readonly therapists: TherapistRepository,
    em: EntityManager,
    scope: AccessScope,
  ) {
    super(therapists, em, scope);
  }

  protected build(input: CreateTherapistDto): Therapist {
    return this.therapists.create({
      name: input.name,
      email: input.email,
      specialty: input.specialty ?? null,
      timeZone: input.time_zone ?? null,
      bufferMinutes: input.buffer_minutes ?? DEFAULT_BUFFER_MINUTES,
    });
  }

  protected change(therapist: Therapist, input: UpdateTherapistDto): void {
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
  }
}
