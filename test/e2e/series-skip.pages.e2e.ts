import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPatient, createTherapist } from '../utils/factories.js';
import { htmlOf, textsOf } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The new-session form's "skip dates that cannot be booked" choice for a series, and what its flash says. */
describe('series with skipped dates on the booking form', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
    await t.http
      .post('/api/closures')
      .send({ starts_on: '2031-12-25', ends_on: '2031-12-25', name: 'Christmas Day' })
      .expect(201);
  });
  afterAll(() => t.close());

  const series = async (extra: Record<string, string>): Promise<Response> => {
    const [therapist, patient] = [await createTherapist(t.em()), await createPatient(t.em())];
    return t.http
      .post('/sessions')
      .type('form')
      .send({
        therapist_id: String(therapist.id),
        patient_id: String(patient.id),
        date: '2031-12-18T10:00',
        duration_minutes: '50',
        repeat: 'weekly',
        occurrences: '3',
        ...extra,
      });
  };

  it('books the others and says which dates it skipped and why', async () => {
    const response = await series({ on_conflict: 'skip' });
    expect(response.status).toBe(303);
    const $ = htmlOf(await t.http.get(String(response.headers.location)).expect(200));
    expect(textsOf($, '#flash p')).toEqual([
      '2 sessions booked, Thursdays 10:00 from 18 Dec, 1 skipped: Thu 25 Dec (The clinic is closed: Christmas Day)',
    ]);
  });

  it('without the choice refuses the whole series and keeps the form', async () => {
    const response = await series({});
    expect(response.status).toBe(409);
    const $ = htmlOf(response);
    expect($('input[name="on_conflict"]').attr('checked')).toBeUndefined();
    expect($('#occurrence-errors').text()).toContain('The clinic is closed: Christmas Day');
  });
});
