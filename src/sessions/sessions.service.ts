import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config.js';
import type { Page } from '../common/pagination/page.js';
import { notFoundProblem, validationProblem } from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { resolveDateRange } from '../common/time/date-range.js';
import { parseInstant } from '../common/validation/decorators.js';
import { Patient } from '../patients/patient.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import type { CreateSessionDto, ListSessionsQuery, UpdateSessionDto } from './dto/session.dto.js';
import { DEFAULT_DURATION_MINUTES } from './session.entity.js';
import { SessionRepository, type SessionWithPeople } from './session.repository.js';

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly em: EntityManager,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  list(query: ListSessionsQuery): Promise<Page<SessionWithPeople>> {
    const range = resolveDateRange(query.from, query.to, this.config.get('clinicTimezone', { infer: true }));
    return this.sessions.findPage({
      ...query.toPageRequest(),
      q: query.q,
      status: query.status,
      therapistId: query.therapist_id,
      patientId: query.patient_id,
      ...range,
      sort: query.sort,
      order: query.order,
    });
  }

  /** Sessions starting within a window (a calendar week), optionally of one therapist. */
  startingBetween(from: Date, to: Date, therapistId?: number): Promise<SessionWithPeople[]> {
    return this.sessions.findStartingBetween({ from, to, therapistId });
  }

  async get(id: number): Promise<SessionWithPeople> {
    const session = await this.sessions.findOneWithPeople(id);
    if (!session) throw notFoundProblem(`Session ${id} does not exist.`);
    return session;
  }

  async create(input: CreateSessionDto): Promise<SessionWithPeople> {
    const [therapist, patient] = await Promise.all([
      this.em.findOne(Therapist, input.therapist_id),
      this.em.findOne(Patient, input.patient_id),
    ]);
    const missing: FieldError[] = [];
    if (!therapist)
      missing.push({ field: 'therapist_id', message: `therapist ${input.therapist_id} does not exist` });
    if (!patient)
      missing.push({ field: 'patient_id', message: `patient ${input.patient_id} does not exist` });
    if (!therapist || !patient) throw validationProblem(missing);

    const session = this.sessions.create({
      therapist,
      patient,
      startsAt: this.instant(input.date),
      durationMinutes: input.duration_minutes ?? DEFAULT_DURATION_MINUTES,
      notes: input.notes ?? null,
    });
    await this.em.flush();
    return this.get(session.id);
  }

  async update(id: number, input: UpdateSessionDto): Promise<SessionWithPeople> {
    const session = await this.get(id);
    if (input.status !== undefined) session.status = input.status;
    if (input.date !== undefined) session.startsAt = this.instant(input.date);
    if (input.duration_minutes !== undefined) session.durationMinutes = input.duration_minutes;
    if (input.notes !== undefined) session.notes = input.notes;
    await this.em.flush();
    return session;
  }

  /** DTO validation already guarantees the format; this only converts. */
  private instant(value: string): Date {
    const date = parseInstant(value);
    if (!date)
      throw validationProblem([{ field: 'date', message: `date must be a date-time with an offset` }]);
    return date;
  }
}
