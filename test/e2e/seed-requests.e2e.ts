import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPatient, createTherapist } from '../utils/factories.js';
import { sessionListOf, sessionOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The three requests of the product brief, sent exactly as documented there. */
describe('the seed requests, verbatim', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    await createTherapist(em); // id 1
    await createPatient(em); // id 1
    await createPatient(em); // id 2
  });
  afterAll(() => t.close());

  it('POST /api/sessions books therapist 1 with patient 2', async () => {
    const response = await t.http
      .post('/api/sessions')
      .set('Content-Type', 'application/json')
      .send('{ "therapist_id": 1, "patient_id": 2, "date": "2025-11-15T10:00:00Z" }')
      .expect(201);
    const session = sessionOf(response);
    expect(response.headers.location).toBe(`/api/sessions/${session.id}`);
    expect(session).toMatchObject({
      therapist_id: 1,
      patient_id: 2,
      date: '2025-11-15T10:00:00.000Z',
      duration_minutes: 50,
      ends_at: '2025-11-15T10:50:00.000Z',
      status: 'Scheduled',
      version: 1,
    });
  });

  it('PATCH /api/sessions/{id} marks it Completed', async () => {
    const response = await t.http
      .patch('/api/sessions/1')
      .set('Content-Type', 'application/json')
      .send('{ "status": "Completed" }')
      .expect(200);
    expect(response.body).toMatchObject({ id: 1, status: 'Completed', version: 2 });
  });

  it('GET /api/sessions lists it', async () => {
    const list = sessionListOf(await t.http.get('/api/sessions').expect(200));
    expect(list.meta).toEqual({
      page: 1,
      page_size: 25,
      total: 1,
      total_is_estimate: false,
      next_cursor: null,
      prev_cursor: null,
    });
    expect(list.data[0]).toMatchObject({
      id: 1,
      status: 'Completed',
      therapist: { id: 1 },
      patient: { id: 2 },
    });
  });
});
