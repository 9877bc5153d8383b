import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Temporal } from 'temporal-polyfill';
import { RowSecurity } from '../../src/access/row-security.js';
import type { StatsResponse } from '../../src/stats/dto/stats.dto.js';
import { StatsRepository } from '../../src/stats/stats.repository.js';
import { fieldsOf, problemOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * `GET /api/stats` against sessions booked and moved through their lifecycle by the API: the trigger-kept
 * aggregate must give the same figures as counting the sessions, per therapist and overall, per week and month.
 */
const ZONE = 'Europe/Berlin';
const statsOf = (response: Response): StatsResponse => response.body as StatsResponse;

describe('GET /api/stats', () => {
  let t: TestApp;
  const s = schedulingHelpers(() => t);
  let ada: number;
  let ben: number;
  let therapist: TestAgent;
  // The lifecycle runs on real time: completed sessions lie in the past, cancellable ones ahead.
  const yesterday = Temporal.Now.plainDateISO(ZONE).subtract({ days: 1 });
  const yesterdayAt = (time: string): string =>
    yesterday.toZonedDateTime({ timeZone: ZONE, plainTime: time }).toInstant().toString();
  const hoursAhead = (hours: number): string =>
    Temporal.Now.instant().round({ smallestUnit: 'hour', roundingMode: 'ceil' }).add({ hours }).toString();
  const week = `from=${yesterday.toString()}&to=${yesterday.add({ days: 6 }).toString()}`;
  const everyDay = (start: string, end: string): object[] =>
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
  const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${t.adminToken}` });
  const get = (url: string): Test => t.anonymous.get(url).set(bearer());
  const change = (id: number, body: object): Promise<unknown> =>
    t.http.patch(`/api/sessions/${id}`).send(body).expect(200);

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: ZONE, LATE_CANCEL_HOURS: '24' });
    ada = (await s.therapistWith(everyDay('00:00', '24:00'), { name: 'Ada Stats' })).id;
    ben = (await s.therapistWith(everyDay('09:00', '13:00'), { name: 'Ben Stats' })).id;
    const nine = await s.booked({ therapist: ada, date: yesterdayAt('09:00') });
    const ten = await s.booked({ therapist: ada, date: yesterdayAt('10:00') });
    const soon = await s.booked({ therapist: ada, date: hoursAhead(2) });
    const later = await s.booked({ therapist: ada, date: hoursAhead(72) });
    await s.booked({ therapist: ada, date: hoursAhead(96), minutes: 90 });
    await s.booked({ therapist: ben, date: yesterdayAt('09:00') });
    await change(later, { status: 'Cancelled', reason: 'Moved away' });
    await change(soon, { status: 'Late-Cancelled', reason: 'Unwell' });
    await change(nine, { status: 'Completed' });
    await change(ten, { status: 'Completed' });
    await change(ten, { status: 'Scheduled' });
    await change(ten, { status: 'No-Show' });
    therapist = await t.signIn('therapist', { therapistId: ada });
  });
  afterAll(() => t.close());

  it('counts each status and the utilisation of working hours, per therapist and overall', async () => {
    const stats = statsOf(await get(`/api/stats?${week}&group_by=week`).expect(200));
    expect(stats).toMatchObject({ group_by: 'week', time_zone: ZONE, from: yesterday.toString() });
    expect(stats.freshness).toMatch(/immediate/);
    expect(stats.therapists.map((one) => one.name)).toEqual(['Ada Stats', 'Ben Stats']);
    const [adaStats, benStats] = stats.therapists;
    expect(adaStats?.totals).toEqual({
      sessions: 5,
      completed: 1,
      no_show: 1,
      cancelled: 1,
      late_cancelled: 1,
      booked_minutes: 50 + 50 + 90,
      working_minutes: 7 * 1440,
      utilisation: 0.019,
    });
    const summed = adaStats?.periods.reduce((sum, period) => sum + period.sessions, 0);
    expect(summed).toBe(5);
    expect(benStats?.totals).toMatchObject({ sessions: 1, booked_minutes: 50, working_minutes: 7 * 240 });
    expect(stats.overall.totals).toEqual({
      sessions: 6,
      completed: 1,
      no_show: 1,
      cancelled: 1,
      late_cancelled: 1,
      booked_minutes: 240,
      working_minutes: 7 * 1440 + 7 * 240,
      utilisation: 0.02,
    });
    const mondays = stats.overall.periods.map((period) => Temporal.PlainDate.from(period.period).dayOfWeek);
    expect(new Set(mondays)).toEqual(new Set([1]));
  });

  it('groups by month, with every period of the range and its days as working time', async () => {
    const first = yesterday.with({ day: 1 });
    const next = first.add({ months: 1 });
    const to = first.add({ months: 2 }).subtract({ days: 1 });
    const stats = statsOf(
      await get(`/api/stats?from=${first.toString()}&to=${to.toString()}&therapist_id=${ada}`).expect(200),
    );
    expect(stats.therapists.map((one) => one.therapist_id)).toEqual([ada]);
    const periods = stats.overall.periods;
    expect(periods.map((period) => [period.period, period.working_minutes])).toEqual([
      [first.toString(), first.daysInMonth * 1440],
      [next.toString(), next.daysInMonth * 1440],
    ]);
    expect(periods.reduce((sum, period) => sum + period.sessions, 0)).toBe(5);
  });

  it('shows a therapist only their own figures, and PostgreSQL holds the same line', async () => {
    const own = statsOf(await therapist.get(`/api/stats?${week}`).expect(200));
    expect(own.therapists.map((one) => one.therapist_id)).toEqual([ada]);
    const asked = statsOf(await therapist.get(`/api/stats?${week}&therapist_id=${ben}`).expect(200));
    expect(asked.therapists).toEqual([]);
    expect(asked.overall.totals.sessions).toBe(0);
    const [row] = await t
      .em()
      .execute<{ id: number }[]>('select id from staff_user where therapist_id = ?', [ada]);
    const actor = {
      userId: row?.id ?? 0,
      name: 'Ada',
      role: 'therapist' as const,
      therapistId: ada,
      tokenId: null,
    };
    const unfiltered = await t.app
      .get(RowSecurity)
      .within(actor, () =>
        t.app
          .get(StatsRepository)
          .figures(yesterday.toString(), yesterday.add({ days: 6 }).toString(), 'week'),
      );
    expect(new Set(unfiltered.filter((one) => one.sessions > 0).map((one) => one.therapistId))).toEqual(
      new Set([ada]),
    );
  });

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=2026-03-01&to=2026-02-01', 'to'],
    ['from=2020-01-01&to=2023-01-05', 'to'],
    ['group_by=day', 'group_by'],
    ['therapist_id=abc', 'therapist_id'],
    ['colour=blue', 'colour'],
  ])('refuses %s with a 400 problem naming %s', async (query, field) => {
    const problem = problemOf(await get(`/api/stats?${query}`), 400);
    expect(fieldsOf(problem)).toEqual([field]);
  });

  it('defaults to the twelve months up to the end of this one, by month', async () => {
    const stats = statsOf(await get('/api/stats').expect(200));
    expect(stats.group_by).toBe('month');
    expect(stats.overall.periods).toHaveLength(12);
    expect(Temporal.PlainDate.from(stats.to).day).toBe(Temporal.PlainDate.from(stats.to).daysInMonth);
  });
});
