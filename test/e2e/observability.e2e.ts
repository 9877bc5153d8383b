import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createTherapist } from '../utils/factories.js';
import { patientOf, problemOf, sessionOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Every line the app logs, parsed: the test reads what a log collector would. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  requestLines(): Record<string, unknown>[] {
    return this.records().filter((record) => 'responseTime' in record);
  }
}

const PATIENT = {
  name: 'Zebulon Quartermaine',
  email: 'zebulon.q@private.example',
  phone: '+44 20 7946 0958',
};
const NOTES = 'Discussed the divorce and sleep problems';
const CHANGED_NOTES = 'Follow-up on medication dosage';

describe('request logs', () => {
  const capture = new LogCapture();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { logger: pino({ level: 'info' }, capture) });
  });
  afterAll(() => t.close());

  it('log one JSON line per request with id, method, route template, status and duration, and no personal data', async () => {
    capture.lines.length = 0;
    const therapist = await createTherapist(t.em());
    const patient = patientOf(await t.http.post('/api/patients').send(PATIENT).expect(201));
    const session = sessionOf(
      await t.http
        .post('/api/sessions')
        .set('X-Request-Id', 'booking-42')
        .send({
          therapist_id: therapist.id,
          patient_id: patient.id,
          date: '2025-12-01T10:00:00Z',
          notes: NOTES,
        })
        .expect(201),
    );
    await t.http.patch(`/api/sessions/${session.id}`).send({ notes: CHANGED_NOTES }).expect(200);
    problemOf(await t.http.post('/api/patients').send({ name: '', email: PATIENT.email }), 400);
    problemOf(await t.http.get('/api/sessions/999999'), 404);
    const search = await t.http
      .get(`/api/patients?q=${encodeURIComponent(PATIENT.name)}`)
      .set('X-Request-Id', 'not a sane id\u00e9')
      .expect(200);
    // Credentials that do not sign in are logged no more than those that do.
    await t.anonymous
      .get('/api/patients')
      .set('Authorization', 'Bearer secret-credential')
      .set('Cookie', 'sid=secret-cookie')
      .expect(401);
    await t.http.get('/health/live').expect(200);

    const all = capture.lines.join('\n');
    for (const secret of [
      ...Object.values(PATIENT),
      'Zebulon',
      'Quartermaine',
      NOTES,
      CHANGED_NOTES,
      'secret-credential',
      'secret-cookie',
    ]) {
      expect(all).not.toContain(secret);
    }

    const requests = capture.requestLines();
    // The probe is logged at debug only, below LOG_LEVEL=info.
    expect(requests.map((line) => [line.req, line.route, line.res])).toEqual([
      [
        expect.objectContaining({ method: 'POST', path: '/api/patients' }),
        '/api/patients',
        { statusCode: 201 },
      ],
      [expect.objectContaining({ id: 'booking-42', method: 'POST' }), '/api/sessions', { statusCode: 201 }],
      [expect.objectContaining({ method: 'PATCH' }), '/api/sessions/:id', { statusCode: 200 }],
      [expect.objectContaining({ method: 'POST' }), '/api/patients', { statusCode: 400 }],
      [expect.objectContaining({ method: 'GET' }), '/api/sessions/:id', { statusCode: 404 }],
      [
        expect.objectContaining({ method: 'GET', path: '/api/patients' }),
        '/api/patients',
        { statusCode: 200 },
      ],
      [expect.objectContaining({ method: 'GET' }), '/api/patients', { statusCode: 401 }],
    ]);
    for (const line of requests) {
      expect(typeof line.responseTime).toBe('number');
      expect((line.req as { id: unknown }).id).toEqual(expect.any(String));
    }
    // An insane id is replaced, not echoed; either way the response names the id the log line carries.
    const searchId = search.headers['x-request-id'];
    expect(searchId).toMatch(/^[0-9a-f-]{36}$/);
    expect((requests[5]?.req as { id: unknown }).id).toBe(searchId);
  });

  it('logs a server fault as one line with its stack in a field and the request id', async () => {
    const orm = t.orm;
    const original = orm.em.getConnection().execute.bind(orm.em.getConnection());
    capture.lines.length = 0;
    const connection = orm.em.getConnection();
    connection.execute = () => Promise.reject(new Error('boom in a query'));
    try {
      problemOf(await t.http.get('/api/therapists').set('X-Request-Id', 'fault-1'), 500);
    } finally {
      connection.execute = original;
    }
    const fault = capture
      .records()
      .find((record) => (record.err as { message?: string } | undefined)?.message);
    expect(fault).toMatchObject({ level: 50, reqId: 'fault-1', err: { message: 'boom in a query' } });
    expect((fault?.err as { stack: string }).stack).toMatch(/boom in a query\n\s+at /);
    expect(capture.requestLines()).toEqual([
      expect.objectContaining({ level: 50, route: '/api/therapists', res: { statusCode: 500 } }),
    ]);
  });
});

describe('/metrics', () => {
  let t: TestApp;
  const TOKEN = 'metrics-token-0123456789';

  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('requires the bearer token when METRICS_TOKEN is set: 401 problem+json otherwise', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
      const request = t.http.get('/metrics').set('Accept', 'text/html');
      const response = await (authorization ? request.set('Authorization', authorization) : request);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(response.text)).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    }
  });

  it('serves Prometheus text: requests by route template, pool gauges, process metrics', async () => {
    await t.http.get('/api/sessions/999999').expect(404);
    await t.http.get('/api/sessions/888888').expect(404);
    const response = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/sessions/:id",status="404"} 2',
    );
    // No label carries a raw id (a sample's value may well contain those digits: 0.0120048679999999).
    expect(response.text).not.toMatch(/"[^"\n]*(999999|888888)[^"\n]*"/);
    expect(response.text).toMatch(/^db_pool_connections_total \d+$/m);
    expect(response.text).toMatch(/^db_pool_connections_idle \d+$/m);
    expect(response.text).toMatch(/^db_pool_requests_waiting 0$/m);
    expect(response.text).toContain('process_cpu_seconds_total');
    expect(response.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('times every query in db_query_duration_seconds by outcome, a failed one as error, with no SQL in labels', async () => {
    const scrape = async (): Promise<string> =>
      (await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
    const count = (text: string, outcome: string): number => {
      const line = new RegExp(`^db_query_duration_seconds_count\\{outcome="${outcome}"\\} (\\d+)$`, 'm');
      return Number(line.exec(text)?.[1] ?? Number.NaN);
    };
    const before = await scrape();
    const email = 'query.timing@example.com';

    await t.http.get('/api/therapists').expect(200);
    await t.http.post('/api/therapists').send({ name: 'Query Timing', email }).expect(201);
    // The INSERT itself fails (therapist_email_unique), inside the flush's transaction.
    problemOf(await t.http.post('/api/therapists').send({ name: 'Query Timing Again', email }), 409);

    const after = await scrape();
    // At least the list's two queries (page and count) and the first INSERT; BEGIN and COMMIT carry no time.
    expect(count(after, 'ok')).toBeGreaterThanOrEqual(count(before, 'ok') + 3);
    expect(count(after, 'error')).toBe(count(before, 'error') + 1);
    expect(after).toMatch(/^db_query_duration_seconds_bucket\{le="0\.001",outcome="ok"\} \d+$/m);
    expect(after).toMatch(/^db_query_duration_seconds_bucket\{le="\+Inf",outcome="error"\} \d+$/m);
    const labelSets = after
      .split('\n')
      .filter((line) => line.startsWith('db_query_duration_seconds_'))
      .map((line) => /\{(.*)\}/.exec(line)?.[1] ?? '');
    for (const labels of labelSets) expect(labels).toMatch(/^(le="[^"]+",)?outcome="(ok|error)"$/);
  });

  it('is not in the OpenAPI document', async () => {
    const document = (await t.http.get('/api/openapi.json').expect(200)).body as { paths: object };
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});
