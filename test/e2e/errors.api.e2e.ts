import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createPatient, createTherapist } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
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

  it('unstorable text is reported together with every other bad field, not instead of them', async () => {
    const response = await t.http.post('/api/sessions').send({ notes: 'a\u0000b', duration_minutes: 5 });
    expect(problemOf(response, 400).errors.map((error) => error.field)).toEqual([
      'notes',
      'therapist_id',
      'patient_id',
      'date',
      'duration_minutes',
    ]);
  });

  it('names every object inherits (constructor, __proto__ …) are unknown fields and parameters', async () => {
    const [therapist, patient] = [await createTherapist(t.em()), await createPatient(t.em())];
    const body = await t.http
      .post('/api/sessions')
      .set('Content-Type', 'application/json')
      .send(
        `{"therapist_id":${therapist.id},"patient_id":${patient.id},"date":"2025-11-18T10:00:00Z",` +
          '"constructor":1,"__proto__":{"x":1}}',
      );
    expect(problemOf(body, 400).errors).toEqual([
      { field: 'constructor', message: 'constructor is not a known field' },
      { field: '__proto__', message: '__proto__ is not a known field' },
    ]);
    const patch = await t.http.patch('/api/therapists/1').send({ toString: 'x' });
    expect(problemOf(patch, 400).errors.map((error) => error.field)).toEqual(['toString']);
    const query = await t.http.get('/api/patients?valueOf=1&hasOwnProperty=2');
    expect(problemOf(query, 400).errors).toEqual([
      { field: 'valueOf', message: 'valueOf is not a known parameter' },
      { field: 'hasOwnProperty', message: 'hasOwnProperty is not a known parameter' },
    ]);
  });

  it('a parameter after a thousand others is still read, not dropped', async () => {
    const response = await t.http.get(`/api/sessions?${'&'.repeat(1000)}page=abc&foo=1`);
    expect(problemOf(response, 400).errors).toHaveLength(2);
    expect(problemOf(response, 400).errors).toEqual(
      expect.arrayContaining([
        { field: 'page', message: 'page must be an integer number' },
        { field: 'foo', message: 'foo is not a known parameter' },
      ]),
    );
  });

  it('a query parameter given twice → 400 saying so', async () => {
    const response = await t.http.get('/api/sessions?page=1&page=2');
    expect(problemOf(response, 400).errors).toEqual([
      { field: 'page', message: 'page must be given only once' },
    ]);
  });

  it('an absent required field is reported as required, a present one by what is wrong with it', async () => {
    const response = await t.http.post('/api/sessions').send({ patient_id: 'two' });
    expect(problemOf(response, 400).errors).toEqual([
      { field: 'therapist_id', message: 'therapist_id is required' },
      { field: 'patient_id', message: 'patient_id must be an integer number' },
      { field: 'date', message: 'date is required' },
    ]);
  });

  it('each bad field is reported by its most basic failed check', async () => {
    const response = await t.http.get('/api/sessions?page=abc&page_size=0&sort=nope');
    const errors = problemOf(response, 400).errors.sort((a, b) => a.field.localeCompare(b.field));
    expect(errors).toEqual([
      { field: 'page', message: 'page must be an integer number' },
      { field: 'page_size', message: 'page_size must not be less than 1' },
      { field: 'sort', message: expect.stringContaining('sort must be one of') as unknown as string },
    ]);
  });

  it('an endpoint without query parameters refuses them instead of ignoring them', async () => {
    const patch = await t.http.patch('/api/sessions/1?status=Bogus').send({});
    expect(problemOf(patch, 400).errors).toEqual([
      { field: 'status', message: 'status is not a query parameter of this endpoint' },
    ]);
    problemOf(await t.http.get('/api/patients/1?page=abc'), 400);
    problemOf(
      await t.http.post('/api/therapists?foo=1').send({ name: 'Q', email: 'query@example.com' }),
      400,
    );
  });

  it('a JSON body carries numbers as numbers: "60" is not an integer (query strings stay text)', async () => {
    const response = await t.http.post('/api/sessions').send({
      therapist_id: ' +1 ',
      patient_id: '2',
      date: '2033-02-07T10:00:00Z',
      duration_minutes: '0060',
    });
    expect(problemOf(response, 400).errors).toEqual([
      { field: 'therapist_id', message: 'therapist_id must be an integer number' },
      { field: 'patient_id', message: 'patient_id must be an integer number' },
      { field: 'duration_minutes', message: 'duration_minutes must be an integer number' },
    ]);
    expect((await t.http.get('/api/sessions?page_size=5')).status).toBe(200);
  });

  it('a body that does not decompress, a JSON null, a bad percent-escape in the path → clear 400s', async () => {
    const deflate = await t.http
      .post('/api/therapists')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'deflate')
      .send('{"name":"E"}');
    expect(problemOf(deflate, 400)).toMatchObject({
      type: '/problems/bad-request',
      detail: 'The request body could not be decompressed as its Content-Encoding says.',
    });
    const jsonNull = await t.http
      .post('/api/therapists')
      .set('Content-Type', 'application/json')
      .send('null');
    expect(problemOf(jsonNull, 400).detail).toBe('the body must be a JSON object');
    const path = await t.http.get('/api/sessions/%');
    expect(problemOf(path, 400).errors).toEqual([
      { field: 'path', message: 'The URL path is not valid percent-encoding' },
    ]);
  });

  it('a date whose [time zone] suffix contradicts its offset → 400', async () => {
    const [therapist, patient] = [await createTherapist(t.em()), await createPatient(t.em())];
    const response = await t.http.post('/api/sessions').send({
      therapist_id: therapist.id,
      patient_id: patient.id,
      date: '2033-01-03T10:00:00+01:00[Asia/Tokyo]',
    });
    expect(problemOf(response, 400).errors.map((error) => error.field)).toEqual(['date']);
    const consistent = await t.http.get(
      `/api/sessions?from=${encodeURIComponent('2033-01-03T10:00:00+09:00[Asia/Tokyo]')}`,
    );
    expect(consistent.status).toBe(200);
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

  it('an unknown API route → 404 problem+json, even for a browser', async () => {
    expect(problemOf(await t.http.get('/api/nothing-here'), 404).detail).toBe('Cannot GET /api/nothing-here');
    problemOf(await t.http.delete('/api/sessions/1'), 404);
    problemOf(await t.http.get('/api/nothing-here').set('Accept', 'text/html'), 404);
  });

  it('an unknown page → 404 HTML page in the site layout, linking to the sessions', async () => {
    const response = await t.http.get('/no-such-page?x=<b>').set('Accept', 'text/html').expect(404);
    const $ = htmlOf(response);
    expect($('title').text()).toMatch(/^Page not found · /);
    expect($('main h1').text()).toBe('Page not found');
    expect($('main code').text()).toBe('/no-such-page');
    expect($('main a[href="/sessions"]').length).toBe(1);
    const form = await t.http.post('/sessions/1/nowhere').type('form').send('a=1').expect(404);
    expect(htmlOf(form)('main h1').text()).toBe('Page not found');
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
      // The error itself (its stack goes in a field of one log line), with the request's id.
      expect(logged).toHaveBeenCalledWith({
        err: expect.objectContaining({
          message: expect.stringContaining('relation "therapist" does not exist'),
        }),
        reqId: expect.any(String),
      });
    } finally {
      logged.mockRestore();
      await t.em().execute('alter table "therapist_away" rename to "therapist"');
    }
    await t.http.get('/api/therapists').expect(200);
  });
});
