import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { notFoundProblem, validationProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import type { CreateClosureDto } from './dto/unavailability.dto.js';
import type { Closure } from './closure.entity.js';
import { ClosureRepository } from './closure.repository.js';
import { UnavailabilityService, type StrandedSession } from './unavailability.service.js';

/** A closure just entered, with the Scheduled sessions it leaves out. */
export interface AddedClosure {
  closure: Closure;
  stranded: StrandedSession[];
}

/**
 * Days the clinic is closed. Everyone reads them (they govern every booking); the desk and admins manage them
 * (the routes' roles say so). Overlapping closures are refused by the database.
 */
@Injectable()
export class ClosuresService {
  constructor(
    private readonly em: EntityManager,
    private readonly closures: ClosureRepository,
    private readonly unavailability: UnavailabilityService,
    private readonly clinic: ClinicClock,
  ) {}

  /** Closures whose last day is today or later, soonest first. */
  list(): Promise<Closure[]> {
    return this.closures.findFrom(this.clinic.today().toString());
  }

  async add(input: CreateClosureDto): Promise<AddedClosure> {
    if (input.ends_on < input.starts_on) {
      throw validationProblem([{ field: 'ends_on', message: 'ends_on must not be before starts_on' }]);
    }
    const closure = this.closures.create({
      startsOn: input.starts_on,
      endsOn: input.ends_on,
      name: input.name,
    });
    await this.em.flush();
    return { closure, stranded: await this.strandedOn(closure) };
  }

  /** One closure and the Scheduled sessions yet to start on its days. */
  async get(id: number): Promise<AddedClosure> {
    const closure = await this.closures.findOne(id);
    if (!closure) throw notFoundProblem(`Closure ${id} does not exist.`);
    return { closure, stranded: await this.strandedOn(closure) };
  }

  private strandedOn(closure: Closure): Promise<StrandedSession[]> {
    return this.unavailability.strandedSessions({ range: this.unavailability.closureAsSpan(closure) });
  }

  async remove(id: number): Promise<void> {
    if (!(await this.closures.remove(id))) throw notFoundProblem(`Closure ${id} does not exist.`);
  }
}
