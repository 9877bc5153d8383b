import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
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

  it('text PostgreSQL cannot store → 400 naming the field', async () => {
    const nul = await t.http.post('/api/therapists').send({ name: 'A\u0000B', email: 'a@b.example' });
    expect(problemOf(nul, 400).errors).toEqual([
      { field: 'name', message: 'name must be valid text (no NUL character or unpaired surrogate)' },
    ]);
    const surrogate = await t.http
      .post('/api/patients')
      .set('Content-Type', 'application/json')
      .send('{"name":"Ann","email":"a\\ud83d@example.com"}');
    expect(problemOf(surrogate, 400).errors.map((error) => error.field)).toEqual(['email']);
    const query = await t.http.get('/api/therapists?q=a%00b');
    expect(problemOf(query, 400).errors.map((error) => error.field)).toEqual(['q']);
  });

  it('a body nested absurdly deep → 400, not a stack overflow', async () => {
    const deep = `{"name":${'['.repeat(5000)}1${']'.repeat(5000)}}`;
    const response = await t.http.post('/api/therapists').set('Content-Type', 'application/json').send(deep);
    expect(problemOf(response, 400).errors[0]?.message).toMatch(/nested more than 16 levels deep/);
  });

  it('a URL too long for the HTTP parser → 431, still problem+json', async () => {
    const response = await t.http.get(`/api/sessions?q=${'x'.repeat(20_000)}`);
    expect(problemOf(response, 431).detail).toBe('The request headers or URL are too large.');
  });

  it('an unknown route → 404', async () => {
    expect(problemOf(await t.http.get('/api/nothing-here'), 404).detail).toBe('Cannot GET /api/nothing-here');
    problemOf(await t.http.delete('/api/sessions/1'), 404);
  });

  it('a server fault → 500 without stack trace or SQL, and the next request still works once the fault is gone', async () => {
    // Make the database reject the list query: a fault the client did not cause.
    await t.em().execute('alter table "therapist" rename to "therapist_away"');
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
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
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('relation "therapist" does not exist'));
    } finally {
      logged.mockRestore();
      await t.em().execute('alter table "therapist_away" rename to "therapist"');
    }
    await t.http.get('/api/therapists').expect(200);
  });
});
