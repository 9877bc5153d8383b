import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSession, createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('a request body is refused as a whole, with every problem at once', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['a string', '"Jordan"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an empty array', '[]'],
    ['an array of objects', '[{"name":"Jordan"}]'],
  ])('a JSON body that is %s → 400 saying it must be an object', async (_label, json) => {
    const response = await t.http.post('/api/patients').set('Content-Type', 'application/json').send(json);
    expect(problemOf(response, 400)).toMatchObject({
      type: '/problems/validation-error',
      detail: 'the body must be a JSON object',
      errors: [{ field: 'body', message: 'the body must be a JSON object' }],
    });
  });

  it('an array body → 400 on an update too, where no field is required', async () => {
    const session = await createSession(t.em());
    const response = await t.http
      .patch(`/api/sessions/${session.id}`)
      .set('Content-Type', 'application/json')
      .send('[{"notes":"x"}]');
    expect(problemOf(response, 400).errors).toEqual([
      { field: 'body', message: 'the body must be a JSON object' },
    ]);
  });

  it('an update that changes nothing → 400, also when its only field is unknown', async () => {
    const session = await createSession(t.em(), { notes: 'kept' });
    const nothing = 'nothing to change: send at least one of status, date, duration_minutes, notes, reason';
    const empty = await t.http.patch(`/api/sessions/${session.id}`).send({});
    expect(problemOf(empty, 400).errors).toEqual([{ field: 'body', message: nothing }]);
    const unknown = await t.http.patch(`/api/sessions/${session.id}`).send({ colour: 'red' });
    expect(problemOf(unknown, 400).errors).toEqual([
      { field: 'body', message: nothing },
      { field: 'colour', message: 'colour is not a known field' },
    ]);
    await t.http.patch(`/api/sessions/${session.id}`).send({ notes: 'changed' }).expect(200);
  });

  it('unknown people are reported together with every other bad field', async () => {
    const response = await t.http
      .post('/api/sessions')
      .send({ therapist_id: 999, patient_id: 998, date: '2025-11-15T10:00' });
    expect(problemOf(response, 400)).toMatchObject({
      type: '/problems/validation-error',
      errors: [
        { field: 'therapist_id', message: 'therapist 999 does not exist' },
        { field: 'patient_id', message: 'patient 998 does not exist' },
        {
          field: 'date',
          message: 'date must be an ISO 8601 date-time with a time-zone offset, e.g. 2025-11-15T10:00:00Z',
        },
      ],
    });
    const therapist = await createTherapist(t.em());
    const series = await t.http.post('/api/sessions/series').send({
      therapist_id: therapist.id,
      patient_id: 2_147_483_647,
      date: '2033-01-03T10:00:00Z',
      frequency: 'weekly',
      occurrences: 0,
    });
    expect(fieldsOf(problemOf(series, 400))).toEqual(['occurrences', 'patient_id']);
  });

  it('an existence check asks the database of the app handling the request, with two apps alive at once', async () => {
    const other = await createTestApp();
    try {
      const only = await createTherapist(other.em(), { id: 1_000_000 });
      const body = { therapist_id: only.id, patient_id: 1_000_000, date: '2033-01-03T10:00:00Z' };
      expect(problemOf(await t.http.post('/api/sessions').send(body), 400).errors).toEqual([
        { field: 'therapist_id', message: 'therapist 1000000 does not exist' },
        { field: 'patient_id', message: 'patient 1000000 does not exist' },
      ]);
      expect(problemOf(await other.http.post('/api/sessions').send(body), 400).errors).toEqual([
        { field: 'patient_id', message: 'patient 1000000 does not exist' },
      ]);
    } finally {
      await other.close();
    }
  });
});
