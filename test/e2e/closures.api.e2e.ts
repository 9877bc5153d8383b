import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type {
  ClosureCreatedResponse,
  ClosureListResponse,
} from '../../src/scheduling/dto/unavailability.dto.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf } from '../utils/http.js';
import { createTestUser, signInAs } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Clinic closures through the API: days in the clinic's zone (Europe/Berlin), refusals, roles, stranded sessions. */
describe('closures API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const created = (response: Response): ClosureCreatedResponse => {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 201 });
    return response.body as ClosureCreatedResponse;
  };
  const closure = (starts_on: string, ends_on: string, name = 'Holiday'): object => ({
    starts_on,
    ends_on,
    name,
  });

  it('adds a closure, lists it, and removes it', async () => {
    const response = await t.http
      .post('/api/closures')
      .send(closure('2031-12-25', '2031-12-26', ' Christmas '));
    const body = created(response);
    expect(body).toEqual({
      id: expect.any(Number),
      starts_on: '2031-12-25',
      ends_on: '2031-12-26',
      name: 'Christmas',
      stranded_sessions: [],
    });
    expect(response.headers.location).toBe(`/api/closures/${body.id}`);
    const list = (await t.http.get('/api/closures').expect(200)).body as ClosureListResponse;
    expect(list.data.map((item) => item.id)).toContain(body.id);

    await t.http.delete(`/api/closures/${body.id}`).expect(204);
    problemOf(await t.http.delete(`/api/closures/${body.id}`), 404);
  });

  it('lists every therapist’s Scheduled sessions on the closed days, in the clinic’s zone', async () => {
    const [ada, ben] = [await createTherapist(t.em()), await createTherapist(t.em())];
    const patient = await createPatient(t.em(), { name: 'Closed Out' });
    // 00:30 in Berlin on 1 May is still 30 April in UTC: closed all the same.
    const early = await createSession(t.em(), {
      therapist: ada,
      patient,
      startsAt: new Date('2031-04-30T22:30:00Z'),
    });
    const late = await createSession(t.em(), { therapist: ben, startsAt: new Date('2031-05-01T15:00:00Z') });
    await createSession(t.em(), { therapist: ben, startsAt: new Date('2031-05-01T22:30:00Z') });
    const body = created(
      await t.http.post('/api/closures').send(closure('2031-05-01', '2031-05-01', 'May Day')),
    );
    expect(body.stranded_sessions.map((session) => session.id)).toEqual([early.id, late.id]);
    expect(body.stranded_sessions[0]).toMatchObject({
      therapist_id: ada.id,
      patient_name: 'Closed Out',
      reason: 'the clinic is closed (May Day)',
      url: `/sessions/${early.id}`,
    });
  });

  it('refuses an overlapping closure with 409 and an end before the start with 400', async () => {
    created(await t.http.post('/api/closures').send(closure('2032-01-01', '2032-01-02')));
    expect(
      fieldsOf(problemOf(await t.http.post('/api/closures').send(closure('2032-01-02', '2032-01-03')), 409)),
    ).toEqual(['starts_on']);
    expect(
      fieldsOf(problemOf(await t.http.post('/api/closures').send(closure('2032-01-06', '2032-01-05')), 400)),
    ).toEqual(['ends_on']);
    expect(
      fieldsOf(
        problemOf(await t.http.post('/api/closures').send(closure('2032-02-30', '2032-03-01', '')), 400),
      ),
    ).toEqual(['name', 'starts_on']);
  });

  it('lets a therapist read closures but not change them (403)', async () => {
    const therapist = await createTherapist(t.em());
    const user = await createTestUser(t.em(), 'therapist', { therapistId: therapist.id });
    const agent: TestAgent = await signInAs(t.app.getHttpServer(), user.email);
    await agent.get('/api/closures').expect(200);
    problemOf(await agent.post('/api/closures').send(closure('2032-04-01', '2032-04-01')), 403);
  });
});
