import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { AccessScope } from '../access/access-scope.js';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { notFoundProblem, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import type { Therapist } from '../therapists/therapist.entity.js';
import { TherapistRepository } from '../therapists/therapist.repository.js';
import type { WorkingHoursIntervalDto } from './dto/working-hours.dto.js';
import type { WorkingHours } from './working-hours.entity.js';
import { UnavailabilityService, type StrandedSession } from './unavailability.service.js';
import { WorkingHoursRepository } from './working-hours.repository.js';
import { parseMinute, type WeeklyInterval } from './working-hours.js';

/** A therapist with the week they work, read in their time zone. */
export interface TherapistSchedule {
  therapist: Therapist;
  timeZone: string;
  intervals: WorkingHours[];
}

/** A therapist's week as plain values: what a day sheet needs of everyone, without entities. */
export interface TherapistWeek {
  therapist: { id: number; name: string };
  timeZone: string;
  intervals: WeeklyInterval[];
}

/** A therapist's weekly working hours; overlapping intervals on one day are refused by the database. */
@Injectable()
export class WorkingHoursService {
  constructor(
    private readonly em: EntityManager,
    private readonly therapists: TherapistRepository,
    private readonly intervals: WorkingHoursRepository,
    private readonly clock: ClinicClock,
    private readonly scope: AccessScope,
    private readonly unavailability: UnavailabilityService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** The zone a therapist's hours and series are read in: their own, or the clinic's. */
  timeZoneOf(therapist: Pick<Therapist, 'timeZone'>): string {
    return therapist.timeZone ?? this.clock.timeZone;
  }

  async scheduleOf(therapist: Therapist): Promise<TherapistSchedule> {
    const intervals = await this.intervals.findOfTherapist(therapist.id);
    return { therapist, timeZone: this.timeZoneOf(therapist), intervals };
  }

  /** Every therapist the acting user may see, by name, with their week: one query whatever their number. */
  async weeksOfAll(): Promise<TherapistWeek[]> {
    const weeks: TherapistWeek[] = [];
    for (const row of await this.intervals.findWeeks(this.scope.ownTherapistId)) {
      let week = weeks.at(-1);
      if (week?.therapist.id !== row.id) {
        week = {
          therapist: { id: row.id, name: row.name },
          timeZone: this.timeZoneOf({ timeZone: row.time_zone }),
          intervals: [],
        };
        weeks.push(week);
      }
      if (row.weekday !== null && row.start_minute !== null && row.end_minute !== null) {
        week.intervals.push({
          weekday: row.weekday,
          startMinute: row.start_minute,
          endMinute: row.end_minute,
        });
      }
    }
    return weeks;
  }

  /** A therapist reads and sets their own hours only; another's answer 404. */
  async get(therapistId: number): Promise<TherapistSchedule> {
    this.scope.assertSeesTherapist(therapistId);
    const therapist = await this.therapists.findOne(therapistId);
    if (!therapist) throw notFoundProblem(`Therapist ${therapistId} does not exist.`);
    return this.scheduleOf(therapist);
  }

  /**
   * The therapist, locked (FOR UPDATE) until the transaction ends: bookings for one therapist and changes to
   * their hours take turns, so a schedule never changes under a booking being checked against it, and two
   * bookings cannot both squeeze into one buffer.
   */
  lockedTherapist(therapistId: number): Promise<Therapist | null> {
    return this.therapists.findOne(therapistId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** Replaces the whole week in one transaction. */
  async replace(therapistId: number, input: WorkingHoursIntervalDto[]): Promise<TherapistSchedule> {
    this.scope.assertSeesTherapist(therapistId);
    const intervals = toIntervals(input, 'intervals');
    await this.em.transactional(async () => {
      await this.existingLocked(therapistId);
      await this.intervals.replaceOfTherapist(therapistId, intervals);
    });
    return this.get(therapistId);
  }

  async add(therapistId: number, input: WorkingHoursIntervalDto): Promise<WorkingHours> {
    this.scope.assertSeesTherapist(therapistId);
    const [interval] = toIntervals([input]);
    if (!interval) throw validationProblem([{ field: 'weekday', message: 'weekday is required' }]);
    return this.em.transactional(async (em) => {
      const therapist = await this.existingLocked(therapistId);
      const created = this.intervals.create({ therapist, ...interval });
      await em.flush();
      return created;
    });
  }

  /** Changes one interval in place; answers with the Scheduled sessions the new hours leave out. */
  async update(
    therapistId: number,
    intervalId: number,
    input: WorkingHoursIntervalDto,
  ): Promise<{ interval: WorkingHours; stranded: StrandedSession[] }> {
    this.scope.assertSeesTherapist(therapistId);
    const [changes] = toIntervals([input]);
    if (!changes) throw validationProblem([{ field: 'weekday', message: 'weekday is required' }]);
    const interval = await this.em.transactional(async (em) => {
      await this.existingLocked(therapistId);
      const found = await this.intervals.findOneOfTherapist(therapistId, intervalId);
      if (!found)
        throw notFoundProblem(`Therapist ${therapistId} has no working-hours interval ${intervalId}.`);
      Object.assign(found, changes);
      await em.flush();
      return found;
    });
    return { interval, stranded: await this.strandedBy(therapistId) };
  }

  /** The therapist's Scheduled sessions, from now to as far as bookings go, that their hours now leave out. */
  strandedBy(therapistId: number): Promise<StrandedSession[]> {
    const start = new Date();
    const end = new Date(start);
    end.setUTCFullYear(end.getUTCFullYear() + this.config.get('bookingHorizonYears', { infer: true }) + 1);
    return this.unavailability.strandedSessions({ range: { start, end }, therapistIds: [therapistId] });
  }

  async remove(therapistId: number, intervalId: number): Promise<void> {
    this.scope.assertSeesTherapist(therapistId);
    if (!(await this.intervals.removeOfTherapist(therapistId, intervalId))) {
      throw notFoundProblem(`Therapist ${therapistId} has no working-hours interval ${intervalId}.`);
    }
  }

  private async existingLocked(therapistId: number): Promise<Therapist> {
    const therapist = await this.lockedTherapist(therapistId);
    if (!therapist) throw notFoundProblem(`Therapist ${therapistId} does not exist.`);
    return therapist;
  }
}

/** Converts validated `HH:MM` pairs into minutes; an end that is not after its start is named. */
function toIntervals(input: WorkingHoursIntervalDto[], prefix?: string): WeeklyInterval[] {
  const errors: FieldError[] = [];
  const intervals = input.map((interval, index) => {
    const startMinute = parseMinute(interval.start) ?? 0;
    const endMinute = parseMinute(interval.end) ?? 0;
    if (endMinute <= startMinute) {
      errors.push({ field: prefix ? `${prefix}.${index}.end` : 'end', message: 'end must be after start' });
    }
    return { weekday: interval.weekday, startMinute, endMinute };
  });
  if (errors.length > 0) throw validationProblem(errors);
  return intervals;
}
