import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateApiDocs, readCommittedApiDocs } from '../../scripts/api-docs.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface OpenApiDocument {
  openapi: string;
  security?: Record<string, string[]>[];
  components: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
}

describe('OpenAPI', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves Swagger UI at /api/docs', async () => {
    const response = await t.http.get('/api/docs/').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('serves an OpenAPI 3 document at /api/openapi.json describing every endpoint', async () => {
    const response = await t.http.get('/api/openapi.json').expect(200);
    const document = JSON.parse(response.text) as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/patients',
        'POST /api/patients',
        'GET /api/patients/{id}',
        'PATCH /api/patients/{id}',
        'GET /api/sessions',
        'POST /api/sessions',
        'GET /api/sessions/{id}',
        'PATCH /api/sessions/{id}',
        'GET /api/sessions/{id}/history',
        'POST /api/sessions/{id}/cancel',
        'POST /api/sessions/{id}/check-in',
        'DELETE /api/sessions/{id}/check-in',
        'POST /api/sessions/series',
        'GET /api/therapists/{id}/availability',
        'GET /api/therapists/{id}/working-hours',
        'PUT /api/therapists/{id}/working-hours',
        'POST /api/therapists/{id}/working-hours',
        'PATCH /api/therapists/{id}/working-hours/{intervalId}',
        'DELETE /api/therapists/{id}/working-hours/{intervalId}',
        'GET /api/therapists/{id}/time-off',
        'POST /api/therapists/{id}/time-off',
        'DELETE /api/therapists/{id}/time-off/{timeOffId}',
        'GET /api/closures',
        'POST /api/closures',
        'GET /api/waitlist',
        'POST /api/waitlist',
        'GET /api/waitlist/matches',
        'GET /api/waitlist/{id}',
        'PATCH /api/waitlist/{id}',
        'DELETE /api/waitlist/{id}',
        'POST /api/waitlist/{id}/book',
        'DELETE /api/closures/{id}',
        'GET /api/therapists',
        'POST /api/therapists',
        'GET /api/therapists/{id}',
        'PATCH /api/therapists/{id}',
        'GET /api/users',
        'POST /api/users',
        'GET /api/users/{id}',
        'PATCH /api/users/{id}',
        'GET /api/users/{id}/tokens',
        'POST /api/users/{id}/tokens',
        'DELETE /api/users/{id}/tokens/{tokenId}',
        'GET /api/audit-events',
        'GET /api/stats',
        'DELETE /api/users/{id}/mfa',
        'GET /health/live',
        'GET /health/ready',
      ].sort(),
    );
    // The probes take no input, so they have no client error to document: 200, or 503 for readiness.
    for (const [path, item] of Object.entries(document.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const operation of Object.values(item)) {
        expect(Object.keys(operation.responses).some((status) => status.startsWith('4'))).toBe(true);
        expect(operation.responses['503']).toBeDefined();
      }
    }
    expect(document.paths['/health/ready']?.get?.responses['503']).toBeDefined();
  });

  it('matches the committed docs/openapi.json and docs/postman-collection.json (run `npm run docs:api`)', async () => {
    const [generated, committed] = await Promise.all([generateApiDocs(), readCommittedApiDocs()]);
    expect(committed.openapi).toBe(generated.openapi);
    expect(committed.postman).toBe(generated.postman);
    const served = await t.http.get('/api/openapi.json').expect(200);
    expect(`${JSON.stringify(JSON.parse(served.text), null, 2)}\n`).toBe(committed.openapi);
  });

  it('declares the bearer scheme for every API operation (Swagger UI’s "Authorize"), and the token works', async () => {
    const response = await t.anonymous.get('/api/openapi.json').expect(200);
    const document = JSON.parse(response.text) as OpenApiDocument;
    expect(document.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (path.startsWith('/api/')) {
          // Inherits the document's requirement; 401 and 429 are what a token can meet anywhere.
          expect({ path, method, security: operation.security }).toEqual({
            path,
            method,
            security: undefined,
          });
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '429']));
        } else {
          expect({ path, security: operation.security }).toEqual({ path, security: [] });
        }
      }
    }
    // 403 where a role is left out: a therapist may not add a therapist, but may list them.
    expect(document.paths['/api/therapists']?.post?.responses['403']).toBeDefined();
    expect(document.paths['/api/therapists']?.get?.responses['403']).toBeUndefined();

    // What "Authorize" then sends: the token alone, no cookie, no CSRF token.
    await t.anonymous.get('/api/therapists').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    await t.anonymous
      .post('/api/therapists')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ name: 'Authorized Swagger', email: 'swagger@clinic.example' })
      .expect(201);
    const anonymous = await t.anonymous.get('/api/therapists').expect(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
  });
});
