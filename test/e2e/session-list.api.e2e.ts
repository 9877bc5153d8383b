import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SESSION_SORTS } from '../../src/sessions/dto/session.dto.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { problemOf, sessionListOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

let t: TestApp;

/** Eleven sessions over three therapists and two patients, with ties on every sort key but the id. */
beforeAll(async () => {
  t = await createTestApp();
  const em = t.em();
  const therapists = [
    await createTherapist(em, { name: 'Zed Zulu' }),
    await createTherapist(em, { name: 'Amy Alpha' }),
    await createTherapist(em, { name: 'Amy Alpha' }),
  ];
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
