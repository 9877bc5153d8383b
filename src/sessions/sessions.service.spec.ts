import { describe, expect, it, jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EntityManager } from '@mikro-orm/postgresql';
import { plainToInstance } from 'class-transformer';
import type { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { ListSessionsQuery } from './dto/session.dto.js';
import { SessionPolicy } from './session-policy.js';
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
    create: jest.fn(),
    flush: jest.fn(() => Promise.resolve()),
    transactional: jest.fn((work: (em: unknown) => Promise<unknown>) => work(em)),
  };
  const config = {
    get: (key: keyof AppConfig) => ({ clinicTimezone: 'Europe/Berlin', lateCancelHours: 24 })[key as string],
  } as unknown as ConfigService<AppConfig, true>;
  const service = new SessionsService(
    repository as unknown as SessionRepository,
    em as unknown as EntityManager,
    new SessionPolicy(config),
    config,
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
    const { service, em } = setUp({ therapist: null, patient: null });
    const attempt = service.create({ therapist_id: 1, patient_id: 2, date: '2025-11-15T10:00:00Z' });
    await expect(attempt).rejects.toBeInstanceOf(ProblemException);
    await expect(attempt).rejects.toMatchObject({
      errors: [
        { field: 'therapist_id', message: 'therapist 1 does not exist' },
        { field: 'patient_id', message: 'patient 2 does not exist' },
      ],
    });
    expect(em.create).not.toHaveBeenCalled();
    expect(em.flush).not.toHaveBeenCalled();
  });
});
