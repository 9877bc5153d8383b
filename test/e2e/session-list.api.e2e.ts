import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SESSION_SORTS } from '../../src/sessions/dto/session.dto.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { problemOf, sessionListOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

let t: TestApp;
let therapistIds: number[] = [];

/** Eleven sessions over three therapists and two patients, with ties on every sort key but the id. */
beforeAll(async () => {
  t = await createTestApp();
  const em = t.em();
  const therapists = [
    await createTherapist(em, { name: 'Zed Zulu' }),
    await createTherapist(em, { name: 'Amy Alpha' }),
    await createTherapist(em, { name: 'Amy Alpha' }),
  ];
  therapistIds = therapists.map((therapist) => therapist.id);
  const patients = [
    await createPatient(em, { name: 'Pat One' }),
    await createPatient(em, { name: 'Bo Two' }),
  ];
  for (let index = 0; index < 11; index++) {
    await createSession(em, {
      therapist: therapists[index % 3],
      patient: patients[index % 2],
      // Pairs of sessions at the same hour (different people), so ties on the start are broken by the id.
      startsAt: new Date(Date.UTC(2025, 10, 10 + Math.floor(index / 2), 9)),
      status: index % 4 === 0 ? SessionStatus.Completed : SessionStatus.Scheduled,
    });
  }
});
afterAll(() => t.close());

const list = async (query: string): Promise<ReturnType<typeof sessionListOf>> =>
  sessionListOf(await t.http.get(`/api/sessions${query}`).expect(200));

describe('GET /api/sessions with cursors', () => {
  it.each(SESSION_SORTS.flatMap((sort) => [`sort=${sort}`, `sort=${sort}&order=desc`]))(
    'walks every row once, forwards and back, in the order of the offset pages (%s)',
    async (query) => {
      const all = (await list(`?${query}&page_size=100`)).data.map((session) => session.id);
      expect(all).toHaveLength(11);
      const forwards: number[][] = [];
      let page = await list(`?${query}&page_size=3`);
      forwards.push(page.data.map((session) => session.id));
      while (page.meta.next_cursor) {
        expect(page.links.next).toContain(`cursor=${page.meta.next_cursor}`);
        page = await list(`?${query}&page_size=3&cursor=${page.meta.next_cursor}`);
        forwards.push(page.data.map((session) => session.id));
      }
      expect(forwards.flat()).toEqual(all);
      expect(forwards).toHaveLength(4);
      const backwards: number[][] = [page.data.map((session) => session.id)];
      while (page.meta.prev_cursor) {
        page = await list(`?${query}&page_size=3&cursor=${page.meta.prev_cursor}`);
        backwards.unshift(page.data.map((session) => session.id));
      }
      expect(backwards).toEqual(forwards);
      expect(page.links.prev).toBeNull();
    },
  );

  it('keeps the filters in the links and applies them to the cursor pages', async () => {
    const first = await list('?status=Scheduled&page_size=2');
    expect(first.links.next).toMatch(/^\/api\/sessions\?status=Scheduled&page_size=2&cursor=/);
    const second = sessionListOf(await t.http.get(first.links.next ?? '').expect(200));
    expect(second.data.every((session) => session.status === SessionStatus.Scheduled)).toBe(true);
    expect(second.meta.total).toBe(first.meta.total);
  });

  it('offers a cursor back from an offset page', async () => {
    const third = await list('?page=3&page_size=2');
    const second = await list(`?page_size=2&cursor=${third.meta.prev_cursor}`);
    expect(second.data).toEqual((await list('?page=2&page_size=2')).data);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    [
      'another sort',
      Buffer.from(JSON.stringify(['n', 'Scheduled', '2025-11-10T09:00:00Z', 1])).toString('base64url'),
    ],
    ['a bad id', Buffer.from(JSON.stringify(['n', '2025-11-10T09:00:00Z', -1])).toString('base64url')],
    ['a bad time', Buffer.from(JSON.stringify(['n', 'soon', 1])).toString('base64url')],
  ])('answers 400 for a cursor that is %s', async (_case, cursor) => {
    const problem = problemOf(await t.http.get(`/api/sessions?cursor=${cursor}`), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('says the total is exact while it is small', async () => {
    expect((await list('')).meta).toMatchObject({ total: 11, total_is_estimate: false });
  });
});

describe('/sessions by cursor', () => {
  it('offers Previous and Next by cursor, without page numbers, and keeps the filters', async () => {
    const first = await list('?status=Scheduled&page_size=2');
    const $ = htmlOf(
      await t.http.get(`/sessions?status=Scheduled&page_size=2&cursor=${first.meta.next_cursor}`).expect(200),
    );
    const next = $('.pagination a[rel=next]').attr('href') ?? '';
    const previous = $('.pagination a[rel=prev]').attr('href') ?? '';
    expect(next).toMatch(/^\/sessions\?status=Scheduled&page_size=2&cursor=/);
    expect(previous).toMatch(/cursor=/);
    expect($('.pagination a[aria-label^="Page "]')).toHaveLength(0);
    expect($('.result-count').text()).toBe(`Showing 2 of ${first.meta.total}`);
    const back = htmlOf(await t.http.get(previous).expect(200));
    expect(back('.result-count').text()).toBe(`Showing 2 of ${first.meta.total}`);
    expect(back('.pagination a[rel=prev]')).toHaveLength(0);
  });
});

describe('GET /api/sessions as CSV', () => {
  const csvOf = async (agent: TestApp['http'], query: string): Promise<string[]> => {
    const response = await agent
      .get(`/api/sessions${query}`)
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => {
          done(null, text);
        });
      })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe('attachment; filename="sessions.csv"');
    return (response.body as string).trimEnd().split('\n');
  };

  it('streams every matching session, all pages, in the sort order, with a header and no notes', async () => {
    const lines = await csvOf(t.http, '?page_size=2&sort=date&order=desc');
    expect(lines[0]).toBe(
      'id,starts_at,ends_at,duration_minutes,therapist_id,therapist,patient_id,patient,status,status_reason,series_id,checked_in_at',
    );
    const ids = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(ids).toEqual(
      (await list('?page_size=100&sort=date&order=desc')).data.map((session) => session.id),
    );
    expect(lines[1]).toMatch(/^\d+,2025-11-15T09:00:00\.000Z,2025-11-15T09:50:00\.000Z,50,\d+,/);
  });

  it('applies the filters and records the export in the audit trail', async () => {
    const lines = await csvOf(t.http, '?status=Completed&q=amy');
    expect(lines.slice(1).every((line) => line.includes(',Amy Alpha,') && line.includes(',Completed,'))).toBe(
      true,
    );
    const [event] = await t
      .em()
      .execute<{ detail: Record<string, unknown> }[]>(
        `select detail from audit_event where action = 'session.export' order by id desc limit 1`,
      );
    expect(event?.detail).toEqual({ format: 'csv', status: 'Completed', searched: true });
  });

  it('gives a therapist only their own sessions, whatever the filter asks', async () => {
    const own = therapistIds[1] ?? 0;
    const agent = await t.signIn('therapist', { therapistId: own });
    const lines = await csvOf(agent, '');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.split(',')[4] === String(own))).toBe(true);
    expect(await csvOf(agent, `?therapist_id=${therapistIds[0]}`)).toHaveLength(1);
  });

  it('refuses bad filters with a problem, before any CSV', async () => {
    await t.http.get('/api/sessions?status=Nope').set('Accept', 'text/csv').expect(400);
  });
});
