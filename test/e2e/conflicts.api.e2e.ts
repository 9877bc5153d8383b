import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { problemOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * A refused booking or move names the people and the time in words, links the session in the way and offers the
 * therapist's next free starts for the same length.
 */

const MONDAY = '2031-02-03';
const at = (time: string, day = MONDAY): string => `${day}T${time}:00.000Z`;
const fifty = (time: string, day = MONDAY): { date: string; ends_at: string } => {
  const start = at(time, day);
  return { date: start, ends_at: new Date(Date.parse(start) + 50 * 60_000).toISOString() };
};

describe('conflicts that help', () => {
  let t: TestApp;
  let chen: Therapist;
  let jordan: Patient;
  let existing: number;

  const { therapistWith, patient, book, booked } = schedulingHelpers(() => t);

  beforeAll(async () => {
    t = await createTestApp();
    chen = await therapistWith([{ weekday: 1, start: '09:00', end: '17:00' }], {
      name: 'Dr Chen',
      bufferMinutes: 10,
    });
    jordan = await patient({ name: 'Jordan Lee' });
    existing = await booked({ therapist: chen.id, patient: jordan.id, date: at('10:00') });
  });
  afterAll(() => t.close());

  const refusal = (response: Response, type: string): Record<string, unknown> => {
    const problem = problemOf(response, 409);
    expect(problem.type).toBe(`/problems/${type}`);
    expect(problem.detail).not.toMatch(/session \d/);
    return problem;
  };

  it('names the therapist, the patient and the time of an overlap, links it and offers free starts', async () => {
    const problem = refusal(await book({ therapist: chen.id, date: at('10:20') }), 'session-overlap');
    expect(problem.detail).toBe('Dr Chen already sees Jordan Lee 10:00–10:50 that day.');
    expect(problem.errors).toEqual([
      { field: 'date', message: 'Dr Chen already sees Jordan Lee 10:00–10:50 that day' },
    ]);
    expect(problem.conflicting_session).toEqual({
      id: existing,
      href: `/sessions/${existing}`,
      ...fifty('10:00'),
      therapist: { id: chen.id, name: 'Dr Chen' },
      patient: { id: jordan.id, name: 'Jordan Lee' },
    });
    // 10:50 plus the 10-minute buffer.
    expect(problem.suggestions).toEqual([fifty('11:00'), fifty('11:15'), fifty('11:30')]);
  });

  it('names the patient’s other session when the patient is the one double-booked', async () => {
    const omar = await therapistWith([{ weekday: 1, start: '09:00', end: '17:00' }], { name: 'Omar Haddad' });
    const response = await book({ therapist: omar.id, patient: jordan.id, date: at('10:30') });
    const problem = refusal(response, 'session-overlap');
    expect(problem.detail).toBe('Jordan Lee already has a session with Dr Chen 10:00–10:50 that day.');
    // Omar's own day is free: his next starts from the time asked for.
    expect(problem.suggestions).toEqual([fifty('10:30'), fifty('10:45'), fifty('11:00')]);
  });

  it('names the neighbour of a start within the buffer', async () => {
    const problem = refusal(await book({ therapist: chen.id, date: at('10:55') }), 'within-buffer');
    expect(problem.detail).toBe(
      'Dr Chen keeps 10 minutes free between sessions and sees Jordan Lee 10:00–10:50 that day.',
    );
    expect((problem.conflicting_session as { href: string }).href).toBe(`/sessions/${existing}`);
    expect(problem.suggestions).toEqual([fifty('11:00'), fifty('11:15'), fifty('11:30')]);
  });

  it('offers the next working day’s starts for a time outside the working hours', async () => {
    const problem = refusal(await book({ therapist: chen.id, date: at('18:00') }), 'outside-working-hours');
    expect(problem.conflicting_session).toBeUndefined();
    const nextMonday = '2031-02-10';
    expect(problem.suggestions).toEqual([
      fifty('09:00', nextMonday),
      fifty('09:15', nextMonday),
      fifty('09:30', nextMonday),
    ]);
  });

  it('offers a moved session starts its own current time does not block', async () => {
    const moving = await booked({ therapist: chen.id, date: at('11:00', '2031-02-10') });
    const response = await t.http.patch(`/api/sessions/${moving}`).send({ date: at('10:20') });
    const problem = refusal(response, 'session-overlap');
    expect(problem.suggestions).toEqual([fifty('11:00'), fifty('11:15'), fifty('11:30')]);
  });

  it('offers starts that book', async () => {
    const problem = refusal(await book({ therapist: chen.id, date: at('10:40') }), 'session-overlap');
    const [first] = problem.suggestions as { date: string }[];
    await booked({ therapist: chen.id, date: first?.date ?? '' });
  });
});
