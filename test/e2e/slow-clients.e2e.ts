import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openConnection } from '../utils/raw-http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A client that never finishes its headers holds a socket: after HTTP_HEADERS_TIMEOUT_MS it gets a 408. */
describe('slow clients', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' });
    port = Number(new URL(await t.listen()).port);
  });
  afterAll(() => t.close());

  it('answers 408 problem+json to a request whose headers never complete, and closes the connection', async () => {
    const slow = await openConnection(port);
    const started = Date.now();
    slow.send('GET /health/live HTTP/1.1\r\nHost: app\r\nX-Still-Typing: ');
    const response = await slow.response(5_000);
    const waited = Date.now() - started;
    console.info(`Slow headers: ${response.status} after ${waited} ms (headers timeout 1000 ms)`);

    expect(response.status).toBe(408);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status: 408, title: 'Request timeout' });
    expect(waited).toBeGreaterThanOrEqual(900);
    await slow.closed();
  });
});
