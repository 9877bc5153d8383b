import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { problemOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('errors are problem+json', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('malformed JSON → 400', async () => {
    const response = await t.http
      .post('/api/therapists')
      .set('Content-Type', 'application/json')
      .send('{"name": "A",');
    expect(problemOf(response, 400)).toMatchObject({
      type: '/problems/malformed-json',
      title: 'The request body is not valid JSON',
      instance: '/api/therapists',
      errors: [],
    });
  });

  it('a JSON scalar body → 400', async () => {
    const response = await t.http
      .post('/api/patients')
      .set('Content-Type', 'application/json')
      .send('"Jordan"');
    expect(problemOf(response, 400).type).toBe('/problems/malformed-json');
  });

  it('a JSON array body → 400', async () => {
    const response = await t.http.post('/api/patients').set('Content-Type', 'application/json').send('[]');
    expect(problemOf(response, 400).type).toBe('/problems/validation-error');
  });

  it('a body over 100 kB → 413', async () => {
    const response = await t.http
      .post('/api/therapists')
      .send({ name: 'A', email: 'a@b.example', specialty: 'x'.repeat(110_000) });
    expect(problemOf(response, 413).type).toBe('/problems/payload-too-large');
  });

  it('a body that is not JSON → 415 rather than being ignored', async () => {
    const form = await t.http.post('/api/therapists').type('form').send('name=A&email=a%40b.example');
    expect(problemOf(form, 415).type).toBe('/problems/unsupported-media-type');
    const text = await t.http
      .patch('/api/therapists/1')
      .set('Content-Type', 'text/plain')
      .send('{"name":"A"}');
    problemOf(text, 415);
  });

  it('an unknown route → 404', async () => {
    expect(problemOf(await t.http.get('/api/nothing-here'), 404).detail).toBe('Cannot GET /api/nothing-here');
    problemOf(await t.http.delete('/api/sessions/1'), 404);
  });

  it('a server fault → 500 without stack trace or SQL, and the next request still works once the fault is gone', async () => {
    // Make the database reject the list query: a fault the client did not cause.
    await t.em().execute('alter table "therapist" rename to "therapist_away"');
    try {
      const response = await t.http.get('/api/therapists');
      const problem = problemOf(response, 500);
      expect(problem).toEqual({
        type: '/problems/internal-error',
        title: 'Internal server error',
        status: 500,
        detail: 'An unexpected error occurred. It has been logged.',
        instance: '/api/therapists',
        errors: [],
      });
      expect(response.text).not.toMatch(/select|therapist_away|at .*\.js|Error:/i);
    } finally {
      await t.em().execute('alter table "therapist_away" rename to "therapist"');
    }
    await t.http.get('/api/therapists').expect(200);
  });
});
