import { describe, expect, it, jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EntityManager } from '@mikro-orm/postgresql';
import { plainToInstance } from 'class-transformer';
import type { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { ListSessionsQuery } from './dto/session.dto.js';
import { SessionStatus } from './session-status.js';
import type { SessionRepository, SessionWithPeople } from './session.repository.js';
import { SessionsService } from './sessions.service.js';

function setUp(
  options: {
    found?: Partial<SessionWithPeople> | null;
    therapist?: object | null;
    patient?: object | null;
  } = {},
) {
  const repository = {
    findPage: jest.fn((_criteria: unknown) =>
      Promise.resolve({ items: [], total: 0, page: 1, pageSize: 25 }),
    ),
    findOneWithPeople: jest.fn(() => Promise.resolve(options.found ?? null)),
    create: jest.fn((data: object) => ({ id: 7, ...data })),
  };
  const em = {
    findOne: jest.fn((entity: { name: string }) =>
      Promise.resolve(entity.name === 'Therapist' ? (options.therapist ?? null) : (options.patient ?? null)),
    ),
    flush: jest.fn(() => Promise.resolve()),
  };
  const config = { get: () => 'Europe/Berlin' };
  const service = new SessionsService(
    repository as unknown as SessionRepository,
    em as unknown as EntityManager,
    config as unknown as ConfigService<AppConfig, true>,
  );
  return { service, repository, em };
}

describe('SessionsService', () => {
  it('turns the list query into repository criteria, reading plain dates in the clinic time zone', async () => {
    const { service, repository } = setUp();
    const query = plainToInstance(ListSessionsQuery, {
      page: 2,
      page_size: 10,
      status: 'Scheduled',
      therapist_id: 3,
      from: '2025-11-01',
      to: '2025-11-02T00:00:00Z',
      sort: 'patient',
      order: 'desc',
      q: 'lee',
    });
    await service.list(query);
    expect(repository.findPage).toHaveBeenCalledWith({
      page: 2,
      pageSize: 10,
      q: 'lee',
      status: SessionStatus.Scheduled,
      therapistId: 3,
      patientId: undefined,
      from: new Date('2025-10-31T23:00:00Z'),
      to: new Date('2025-11-02T00:00:00Z'),
      sort: 'patient',
      order: 'desc',
    });
  });

  it('answers 404 for a session that does not exist', async () => {
    const { service } = setUp({ found: null });
    await expect(service.get(5)).rejects.toMatchObject({ problemType: 'not-found' });
  });

  it('names both a missing therapist and a missing patient, and creates nothing', async () => {
    const { service, repository, em } = setUp({ therapist: null, patient: null });
    const attempt = service.create({ therapist_id: 1, patient_id: 2, date: '2025-11-15T10:00:00Z' });
    await expect(attempt).rejects.toBeInstanceOf(ProblemException);
    await expect(attempt).rejects.toMatchObject({
      errors: [
        { field: 'therapist_id', message: 'therapist 1 does not exist' },
        { field: 'patient_id', message: 'patient 2 does not exist' },
      ],
    });
    expect(repository.create).not.toHaveBeenCalled();
    expect(em.flush).not.toHaveBeenCalled();
  });

  it('books with the default duration when none is given', async () => {
    const therapist = { id: 1 };
    const patient = { id: 2 };
    const { service, repository } = setUp({ therapist, patient, found: { id: 7 } });
    await service.create({ therapist_id: 1, patient_id: 2, date: '2025-11-15T11:00:00+01:00' });
    expect(repository.create).toHaveBeenCalledWith({
      therapist,
      patient,
      startsAt: new Date('2025-11-15T10:00:00Z'),
      durationMinutes: 50,
      notes: null,
    });
  });

  it('updates only the fields that were sent', async () => {
    const session = {
      id: 7,
      status: SessionStatus.Scheduled,
      startsAt: new Date('2025-11-15T10:00:00Z'),
      durationMinutes: 50,
      notes: 'keep me',
    };
    const { service, em } = setUp({ found: session });
    await service.update(7, { duration_minutes: 60 });
    expect(session).toEqual({ ...session, durationMinutes: 60 });
    expect(session.notes).toBe('keep me');
    expect(em.flush).toHaveBeenCalledTimes(1);
  });
});
