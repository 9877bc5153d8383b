import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { AvailabilityResponse } from '../../src/sessions/dto/availability.dto.js';
import { fieldsOf, problemOf, seriesOf, sessionOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Booking, moving or repeating a session into a therapist's time off (409 therapist-unavailable) or a clinic
 * closure (409 clinic-closed), and availability leaving both out. The clinic is in Europe/Berlin (UTC+01:00 in
 * December 2031).
 */
describe('bookings refused in time off and closures', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
    const closure = await t.http
      .post('/api/closures')
      .send({ starts_on: '2031-12-25', ends_on: '2031-12-26', name: 'Christmas' });
    expect(closure.status).toBe(201);
  });
  afterAll(() => t.close());

  const { therapist, book, booked } = schedulingHelpers(() => t);
  const away = async (therapistId: number): Promise<void> => {
    const response = await t.http.post(`/api/therapists/${therapistId}/time-off`).send({
      starts_at: '2031-12-08T00:00:00+01:00',
      ends_at: '2031-12-13T00:00:00+01:00',
      reason: 'Conference',
    });
    expect(response.status).toBe(201);
  };
  const refusedAs = (response: Response, type: string, message: string): void => {
    const problem = problemOf(response, 409);
    expect(problem.type).toBe(`/problems/${type}`);
    expect(fieldsOf(problem)).toEqual(['date']);
    expect(problem.errors[0]?.message).toBe(message);
  };

  it('refuses a booking in the therapist’s time off, naming it, and books around it', async () => {
    const person = await therapist({ name: 'Dr. Away' });
    await away(person.id);
    refusedAs(
      await book({ therapist: person.id, date: '2031-12-10T10:00:00+01:00' }),
      'therapist-unavailable',
      'Dr. Away is away: Conference',
    );
    // Ending as the time off begins, and starting as it ends, is fine.
    await booked({ therapist: person.id, date: '2031-12-07T23:10:00+01:00' });
    await booked({ therapist: person.id, date: '2031-12-13T00:00:00+01:00' });
  });

  it('refuses a booking on a closed day in the clinic’s zone', async () => {
    const person = await therapist();
    // 23:30 UTC on the 24th is already the 25th in Berlin.
    refusedAs(
      await book({ therapist: person.id, date: '2031-12-24T23:30:00Z' }),
      'clinic-closed',
      'The clinic is closed: Christmas',
    );
    await booked({ therapist: person.id, date: '2031-12-24T22:00:00Z' });
  });

  it('refuses moving a session into time off or a closure', async () => {
    const person = await therapist({ name: 'Dr. Move' });
    await away(person.id);
    const id = await booked({ therapist: person.id, date: '2031-12-15T10:00:00+01:00' });
    refusedAs(
      await t.http.patch(`/api/sessions/${id}`).send({ date: '2031-12-09T10:00:00+01:00' }),
      'therapist-unavailable',
      'Dr. Move is away: Conference',
    );
    refusedAs(
      await t.http.patch(`/api/sessions/${id}`).send({ date: '2031-12-26T10:00:00+01:00' }),
      'clinic-closed',
      'The clinic is closed: Christmas',
    );
    expect(sessionOf(await t.http.get(`/api/sessions/${id}`)).date).toBe('2031-12-15T09:00:00.000Z');
  });

  it('refuses a whole series with an occurrence on a closed day, saying why', async () => {
    const person = await therapist();
    const response = await t.http.post('/api/sessions/series').send({
      therapist_id: person.id,
      patient_id: (await schedulingHelpers(() => t).patient()).id,
      date: '2031-12-11T10:00:00+01:00',
      frequency: 'weekly',
      occurrences: 4,
    });
    const problem = problemOf(response, 409);
    expect(problem.failing_occurrences).toEqual([
      expect.objectContaining({ index: 2, reason: 'The clinic is closed: Christmas' }),
    ]);
  });

  it('with on_conflict skip, books the other occurrences and lists the skipped ones with why', async () => {
    const person = await therapist({ name: 'Dr. Skip' });
    await away(person.id);
    const response = await t.http.post('/api/sessions/series').send({
      therapist_id: person.id,
      patient_id: (await schedulingHelpers(() => t).patient()).id,
      date: '2031-12-04T10:00:00+01:00',
      frequency: 'weekly',
      occurrences: 4,
      on_conflict: 'skip',
    });
    expect(response.status).toBe(201);
    const body = seriesOf(response);
    expect(body.data.map((session) => session.date)).toEqual([
      '2031-12-04T09:00:00.000Z',
      '2031-12-18T09:00:00.000Z',
    ]);
    expect(body.skipped).toEqual([
      expect.objectContaining({
        index: 1,
        date: '2031-12-11T09:00:00.000Z',
        reason: 'Dr. Skip is away: Conference',
      }),
      expect.objectContaining({
        index: 3,
        date: '2031-12-25T09:00:00.000Z',
        reason: 'The clinic is closed: Christmas',
      }),
    ]);
  });

  it('with on_conflict skip, still refuses (409) when no occurrence can be booked, and refuses an unknown choice', async () => {
    const person = await therapist();
    const series = (extra: object): Promise<Response> =>
      schedulingHelpers(() => t)
        .patient()
        .then((patient) =>
          t.http.post('/api/sessions/series').send({
            therapist_id: person.id,
            patient_id: patient.id,
            date: '2031-12-25T10:00:00+01:00',
            frequency: 'weekly',
            occurrences: 2,
            ...extra,
          }),
        );
    await t.http
      .post('/api/closures')
      .send({ starts_on: '2032-01-01', ends_on: '2032-01-01', name: 'New Year' });
    expect(problemOf(await series({ on_conflict: 'skip' }), 409).type).toBe('/problems/series-not-bookable');
    expect(fieldsOf(problemOf(await series({ on_conflict: 'maybe' }), 400))).toEqual(['on_conflict']);
  });

  it('leaves time off and closures out of the free slots', async () => {
    const person = await therapist();
    await away(person.id);
    const slots = async (from: string, to: string): Promise<number> =>
      (
        (await t.http.get(`/api/therapists/${person.id}/availability?from=${from}&to=${to}`).expect(200))
          .body as AvailabilityResponse
      ).slots.length;
    expect(await slots('2031-12-09', '2031-12-10')).toBe(0);
    expect(await slots('2031-12-25', '2031-12-26')).toBe(0);
    expect(await slots('2031-12-16', '2031-12-17')).toBeGreaterThan(0);
  });
});
