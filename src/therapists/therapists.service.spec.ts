import { describe, expect, it, jest } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TherapistRepository } from './therapist.repository.js';
import { TherapistsService } from './therapists.service.js';

function setUp(found: object | null) {
  const repository = {
    findById: jest.fn(() => Promise.resolve(found)),
    assign: jest.fn((target: object, data: object) => Object.assign(target, data)),
    create: jest.fn((data: object) => data),
  };
  const em = { flush: jest.fn(() => Promise.resolve()) };
  const service = new TherapistsService(
    repository as unknown as TherapistRepository,
    em as unknown as EntityManager,
  );
  return { service, repository, em };
}

describe('TherapistsService', () => {
  it('answers 404 for an unknown therapist', async () => {
    await expect(setUp(null).service.get(3)).rejects.toMatchObject({
      problemType: 'not-found',
      message: 'Therapist 3 does not exist.',
    });
  });

  it('creates without a specialty as null', async () => {
    const { service, repository, em } = setUp(null);
    await service.create({ name: 'Maya', email: 'maya@clinic.example' });
    expect(repository.create).toHaveBeenCalledWith({
      name: 'Maya',
      email: 'maya@clinic.example',
      specialty: null,
      timeZone: null,
      bufferMinutes: 10,
    });
    expect(em.flush).toHaveBeenCalled();
  });

  it('changes only the fields that were sent, and clears specialty with null', async () => {
    const therapist = { id: 3, name: 'Maya', email: 'maya@clinic.example', specialty: 'CBT' };
    const { service } = setUp(therapist);
    await service.update(3, { specialty: null });
    expect(therapist).toEqual({ id: 3, name: 'Maya', email: 'maya@clinic.example', specialty: null });
  });
});
