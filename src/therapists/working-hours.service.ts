import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config.js';
import { notFoundProblem, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import type { WorkingHoursIntervalDto } from './dto/working-hours.dto.js';
import { Therapist } from './therapist.entity.js';
import { WorkingHours } from './working-hours.entity.js';
import { parseMinute, type WeeklyInterval } from './working-hours.js';

export interface TherapistSchedule {
  therapist: Therapist;
  timeZone: string;
  intervals: WorkingHours[];
}

/** A therapist's weekly working hours; overlapping intervals on one day are refused by the database. */
@Injectable()
export class WorkingHoursService {
  private readonly clinicTimeZone: string;

  constructor(
    private readonly em: EntityManager,
    config: ConfigService<AppConfig, true>,
  ) {
    this.clinicTimeZone = config.get('clinicTimezone', { infer: true });
  }

  async get(therapistId: number): Promise<TherapistSchedule> {
    const therapist = await this.em.findOne(Therapist, therapistId);
    if (!therapist) throw notFoundProblem(`Therapist ${therapistId} does not exist.`);
    const intervals = await this.em.find(
      WorkingHours,
      { therapist },
      { orderBy: { weekday: 'asc', startMinute: 'asc' } },
    );
    return { therapist, timeZone: therapist.timeZone ?? this.clinicTimeZone, intervals };
  }

  /** Replaces the whole week in one transaction. */
  async replace(therapistId: number, input: WorkingHoursIntervalDto[]): Promise<TherapistSchedule> {
    const intervals = toIntervals(input, 'intervals');
    await this.em.transactional(async (em) => {
      const therapist = await this.lockedTherapist(em, therapistId);
      await em.nativeDelete(WorkingHours, { therapist });
      for (const interval of intervals) em.create(WorkingHours, { therapist, ...interval });
      await em.flush();
    });
    return this.get(therapistId);
  }

  async add(therapistId: number, input: WorkingHoursIntervalDto): Promise<WorkingHours> {
    const [interval] = toIntervals([input]);
    if (!interval) throw validationProblem([{ field: 'weekday', message: 'weekday is required' }]);
    return this.em.transactional(async (em) => {
      const therapist = await this.lockedTherapist(em, therapistId);
      const created = em.create(WorkingHours, { therapist, ...interval });
      await em.flush();
      return created;
    });
  }

  async remove(therapistId: number, intervalId: number): Promise<void> {
    const removed = await this.em.nativeDelete(WorkingHours, { id: intervalId, therapist: therapistId });
    if (removed === 0) {
      throw notFoundProblem(`Therapist ${therapistId} has no working-hours interval ${intervalId}.`);
    }
  }

  /** Bookings lock the same row, so a schedule never changes under a booking being checked against it. */
  private async lockedTherapist(em: EntityManager, therapistId: number): Promise<Therapist> {
    const therapist = await em.findOne(Therapist, therapistId, { lockMode: LockMode.PESSIMISTIC_WRITE });
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
