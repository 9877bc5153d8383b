import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessScope } from '../access/access-scope.js';
import { notFoundProblem, validationProblem } from '../common/problems/problem.exception.js';
import { Clock } from '../common/time/clock.js';
import type { CreateTimeOffDto } from './dto/unavailability.dto.js';
import type { TimeOff } from './time-off.entity.js';
import { TimeOffRepository } from './time-off.repository.js';
import { UnavailabilityService, type StrandedSession } from './unavailability.service.js';
import { WorkingHoursService, type TherapistSchedule } from './working-hours.service.js';

/** Time off just entered (or looked at), with the Scheduled sessions it leaves out. */
export interface AddedTimeOff {
  timeOff: TimeOff;
  stranded: StrandedSession[];
}

/** A therapist's time off yet to end, for their page: with whose it is and the zone it is read in. */
export interface TherapistTimeOff extends TherapistSchedule {
  timeOff: TimeOff[];
}

/**
 * A therapist's time off. The desk and admins manage everyone's; a therapist reads and manages their own (another
 * therapist's answers 404), as they do their working hours. Overlapping time off is refused by the database.
 */
@Injectable()
export class TimeOffService {
  constructor(
    private readonly em: EntityManager,
    private readonly timeOff: TimeOffRepository,
    private readonly workingHours: WorkingHoursService,
    private readonly unavailability: UnavailabilityService,
    private readonly clock: Clock,
    private readonly scope: AccessScope,
  ) {}

  /** Time off that has not ended yet, soonest first. */
  async list(therapistId: number): Promise<TimeOff[]> {
    return (await this.ofTherapist(therapistId)).timeOff;
  }

  async ofTherapist(therapistId: number): Promise<TherapistTimeOff> {
    const schedule = await this.workingHours.get(therapistId);
    return { ...schedule, timeOff: await this.timeOff.findOfTherapist(therapistId, this.clock.now()) };
  }

  /** One stretch of time off and the Scheduled sessions yet to start in it. */
  async get(therapistId: number, timeOffId: number): Promise<AddedTimeOff> {
    this.scope.assertSeesTherapist(therapistId);
    const timeOff = await this.timeOff.findOneOfTherapist(therapistId, timeOffId);
    if (!timeOff) throw notFoundProblem(`Therapist ${therapistId} has no time off ${timeOffId}.`);
    return { timeOff, stranded: await this.strandedIn(timeOff) };
  }

  async add(therapistId: number, input: CreateTimeOffDto): Promise<AddedTimeOff> {
    this.scope.assertSeesTherapist(therapistId);
    const startsAt = new Date(input.starts_at);
    const endsAt = new Date(input.ends_at);
    if (endsAt <= startsAt) {
      throw validationProblem([{ field: 'ends_at', message: 'ends_at must be after starts_at' }]);
    }
    const timeOff = await this.em.transactional(async (em) => {
      // The therapist's lock makes bookings and this change take turns (see lockedTherapist).
      const therapist = await this.workingHours.lockedTherapist(therapistId);
      if (!therapist) throw notFoundProblem(`Therapist ${therapistId} does not exist.`);
      const created = this.timeOff.create({ therapist, startsAt, endsAt, reason: input.reason });
      await em.flush();
      return created;
    });
    return { timeOff, stranded: await this.strandedIn(timeOff) };
  }

  private strandedIn(timeOff: TimeOff): Promise<StrandedSession[]> {
    return this.unavailability.strandedSessions({
      range: { start: timeOff.startsAt, end: timeOff.endsAt },
      therapistIds: [timeOff.therapist.id],
    });
  }

  async remove(therapistId: number, timeOffId: number): Promise<void> {
    this.scope.assertSeesTherapist(therapistId);
    if (!(await this.timeOff.removeOfTherapist(therapistId, timeOffId))) {
      throw notFoundProblem(`Therapist ${therapistId} has no time off ${timeOffId}.`);
    }
  }
}
