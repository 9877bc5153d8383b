import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type {
  TimeOffCreatedResponse,
  TimeOffListResponse,
} from '../../src/scheduling/dto/unavailability.dto.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf } from '../utils/http.js';
import { createTestUser, signInAs } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Time off through the API: create, list, remove, its refusals, who may manage it, and the sessions it strands. */
describe('time off API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const url = (therapistId: number): string => `/api/therapists/${therapistId}/time-off`;
  const created = (response: Response): TimeOffCreatedResponse => {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 201 });
    return response.body as TimeOffCreatedResponse;
  };
  const leave = (starts_at: string, ends_at: string, reason = 'Holiday'): object => ({
    starts_at,
    ends_at,
    reason,
  });

  it('adds time off, lists it, and removes it', async () => {
    const therapist = await createTherapist(t.em());
    const response = await t.http
      .post(url(therapist.id))
      .send(leave('2031-08-04T00:00:00+02:00', '2031-08-09T00:00:00+02:00', '  Summer holiday '));
    const body = created(response);
    expect(body).toEqual({
      id: expect.any(Number),
      therapist_id: therapist.id,
      starts_at: '2031-08-03T22:00:00.000Z',
      ends_at: '2031-08-08T22:00:00.000Z',
      reason: 'Summer holiday',
      stranded_sessions: [],
    });
    expect(response.headers.location).toBe(`${url(therapist.id)}/${body.id}`);

    const list = await t.http.get(url(therapist.id)).expect(200);
    expect((list.body as TimeOffListResponse).data.map((item) => item.id)).toEqual([body.id]);

    await t.http.delete(`${url(therapist.id)}/${body.id}`).expect(204);
    expect(((await t.http.get(url(therapist.id))).body as TimeOffListResponse).data).toEqual([]);
    problemOf(await t.http.delete(`${url(therapist.id)}/${body.id}`), 404);
  });

  it('lists the Scheduled sessions the new time off leaves out, with a link to move them', async () => {
    const therapist = await createTherapist(t.em());
    const patient = await createPatient(t.em(), { name: 'Stranded Sam' });
    const inside = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2031-09-02T08:00:00Z'),
    });
    await createSession(t.em(), { therapist, patient, startsAt: new Date('2031-09-10T08:00:00Z') });
    const body = created(
      await t.http
        .post(url(therapist.id))
        .send(leave('2031-09-01T00:00:00Z', '2031-09-05T00:00:00Z', 'Sick')),
    );
    expect(body.stranded_sessions).toEqual([
      {
        id: inside.id,
        starts_at: '2031-09-02T08:00:00.000Z',
        ends_at: inside.endsAt.toISOString(),
        therapist_id: therapist.id,
        therapist_name: therapist.name,
        patient_id: patient.id,
        patient_name: 'Stranded Sam',
        reason: 'the therapist is away (Sick)',
        url: `/sessions/${inside.id}`,
      },
    ]);
  });

  it('refuses overlapping time off with 409 and an end not after the start with 400', async () => {
    const therapist = await createTherapist(t.em());
    created(await t.http.post(url(therapist.id)).send(leave('2031-10-01T00:00:00Z', '2031-10-03T00:00:00Z')));
    const overlap = problemOf(
      await t.http.post(url(therapist.id)).send(leave('2031-10-02T12:00:00Z', '2031-10-04T00:00:00Z')),
      409,
    );
    expect(fieldsOf(overlap)).toEqual(['starts_at']);
    const backwards = problemOf(
      await t.http.post(url(therapist.id)).send(leave('2031-10-06T00:00:00Z', '2031-10-05T00:00:00Z')),
      400,
    );
    expect(fieldsOf(backwards)).toEqual(['ends_at']);
    // Another therapist's time off may overlap.
    const other = await createTherapist(t.em());
    created(await t.http.post(url(other.id)).send(leave('2031-10-02T12:00:00Z', '2031-10-04T00:00:00Z')));
  });

  it.each([
    ['no zone', leave('2031-10-06T00:00:00', '2031-10-07T00:00:00Z'), ['starts_at']],
    ['a blank reason', leave('2031-10-06T00:00:00Z', '2031-10-07T00:00:00Z', '   '), ['reason']],
    ['nothing', {}, ['ends_at', 'reason', 'starts_at']],
  ])('refuses %s with 400 naming the fields', async (_, body, fields) => {
    const therapist = await createTherapist(t.em());
    expect(fieldsOf(problemOf(await t.http.post(url(therapist.id)).send(body), 400))).toEqual(fields);
  });

  it('answers 404 for an unknown therapist', async () => {
    problemOf(await t.http.get(url(2_000_000)), 404);
    problemOf(
      await t.http.post(url(2_000_000)).send(leave('2031-10-06T00:00:00Z', '2031-10-07T00:00:00Z')),
      404,
    );
  });

  describe('as a therapist', () => {
    let agent: TestAgent;
    let own: number;
    let other: number;

    beforeAll(async () => {
      own = (await createTherapist(t.em())).id;
      other = (await createTherapist(t.em())).id;
      const user = await createTestUser(t.em(), 'therapist', { therapistId: own });
      agent = await signInAs(t.app.getHttpServer(), user.email);
    });

    it('manages their own time off', async () => {
      const body = created(
        await agent.post(url(own)).send(leave('2031-11-01T00:00:00Z', '2031-11-02T00:00:00Z')),
      );
      await agent.delete(`${url(own)}/${body.id}`).expect(204);
    });

    it('cannot see or change another therapist’s (404)', async () => {
      const theirs = created(
        await t.http.post(url(other)).send(leave('2031-11-01T00:00:00Z', '2031-11-02T00:00:00Z')),
      );
      problemOf(await agent.get(url(other)), 404);
      problemOf(
        await agent.post(url(other)).send(leave('2031-11-05T00:00:00Z', '2031-11-06T00:00:00Z')),
        404,
      );
      problemOf(await agent.delete(`${url(other)}/${theirs.id}`), 404);
    });
  });
});
