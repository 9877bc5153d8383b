import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

let t: TestApp;
let chenId: number;
let scheduledOfChen: number[];

/** Two therapists, each with Scheduled and Completed sessions in November 2025. */
beforeAll(async () => {
  t = await createTestApp();
  const em = t.em();
  const chen = await createTherapist(em, { name: 'Maya Chen' });
  const okafor = await createTherapist(em, { name: 'Ada Okafor' });
  const patient = await createPatient(em, { name: 'Jordan Lee' });
  chenId = chen.id;
  scheduledOfChen = [];
  for (let day = 0; day < 6; day++) {
    const session = await createSession(em, {
      therapist: day % 2 ? okafor : chen,
      patient: await createPatient(em),
      startsAt: new Date(Date.UTC(2025, 10, 10 + day, 9)),
      status: day % 3 === 2 ? SessionStatus.Completed : SessionStatus.Scheduled,
    });
    if (day % 2 === 0 && day % 3 !== 2) scheduledOfChen.push(session.id);
  }
  await createSession(em, { therapist: chen, patient, startsAt: new Date(Date.UTC(2025, 9, 1, 9)) });
});
afterAll(() => t.close());

const exportHref = ($: Html): string => $('a:contains("Download CSV")').attr('href') ?? '';

/** The CSV's rows as records of its header's columns. */
function recordsOf(text: string): Record<string, string>[] {
  const [header = '', ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line): Record<string, string> =>
    Object.fromEntries(line.split(',').map((cell, index): [string, string] => [columns[index] ?? '', cell])),
  );
}

describe('Download CSV on /sessions', () => {
  const filters = (): string => `therapist_id=${chenId}&status=Scheduled&from=2025-11-01&to=2025-11-30`;

  it('links to the export with the list’s filters and sort, not its page', async () => {
    const query = `${filters()}&sort=patient&order=desc&page_size=10`;
    const $ = htmlOf(await t.http.get(`/sessions?${query}`).expect(200));
    const href = new URL(exportHref($), 'http://localhost');
    expect(href.pathname).toBe('/sessions/export.csv');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      therapist_id: String(chenId),
      status: 'Scheduled',
      from: '2025-11-01',
      to: '2025-11-30',
      sort: 'patient',
      order: 'desc',
    });
    expect($('a:contains("Download CSV")').attr('download')).toBeDefined();
    // The htmx fragment carries it too, so a filter change updates the link.
    const fragment = htmlOf(await t.http.get(`/sessions?${query}`).set(HTMX).expect(200));
    expect(exportHref(fragment)).toBe(exportHref($));
  });

  it('downloads the filtered list as CSV rows, every page', async () => {
    const $ = htmlOf(await t.http.get(`/sessions?${filters()}&page_size=1`).expect(200));
    const response = await t.http.get(exportHref($)).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe('attachment; filename="sessions.csv"');
    const records = recordsOf(response.text);
    expect(records.map((record) => Number(record.id))).toEqual(scheduledOfChen);
    expect(records.every((record) => record.therapist === 'Maya Chen' && record.status === 'Scheduled')).toBe(
      true,
    );
    expect(records.length).toBeGreaterThan(1);
  });

  it('answers the same file as the API’s Accept: text/csv', async () => {
    const page = await t.http.get(`/sessions/export.csv?${filters()}`).expect(200);
    const api = await t.http.get(`/api/sessions?${filters()}`).set('Accept', 'text/csv').expect(200);
    expect(page.text).toBe(api.text);
  });

  it('refuses filters that are not valid', async () => {
    await t.http.get('/sessions/export.csv?status=Sleeping').expect(400);
  });
});
