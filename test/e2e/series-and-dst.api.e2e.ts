import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { SessionHistoryResponse, SessionResponse } from '../../src/sessions/dto/session.dto.js';
import { createPatient, createSession } from '../utils/factories.js';
import { fieldsOf, problemOf, seriesOf, sessionListOf, sessionOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Recurring series (weekly, fortnightly, 2–52 occurrences, all or nothing) and time zones: a series keeps its
 * local time across daylight-saving changes in the clinic's zone and in a therapist's own zone, a single booking
 * is checked against working hours in the therapist's zone on either side of a change, and a date-time without
 * an offset is refused.
 *
 * 2031: Europe/Berlin moves to summer time on Sunday 30 March and back on Sunday 26 October; America/New_York
 * on Sunday 9 March (the second Sunday of March).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

interface FailingOccurrence {
  index: number;
  date: string;
  ends_at: string;
  reason: string;
  conflicting_session_id?: number;
}

const datesOf = (sessions: readonly SessionResponse[]): string[] => sessions.map((session) => session.date);
const iso = (milliseconds: number): string => new Date(milliseconds).toISOString();

describe('recurring series and time zones', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const { therapist, patient, setHours } = schedulingHelpers(() => t);
  const postSeries = async (body: Record<string, unknown>): Promise<Response> =>
    t.http.post('/api/sessions/series').send(body);
  /** A series for a new therapist and patient unless given. */
  const seriesBody = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => ({
    therapist_id: body.therapist_id ?? (await therapist()).id,
    patient_id: body.patient_id ?? (await patient()).id,
    ...body,
  });
  const count = async (table: 'therapy_session' | 'session_series' | 'session_event'): Promise<number> => {
    const [row] = await t.em().execute<{ count: string }[]>(`select count(*) from ${table}`);
    return Number(row?.count);
  };
  const counts = async (): Promise<number[]> =>
    Promise.all([count('therapy_session'), count('session_series'), count('session_event')]);

  describe('POST /api/sessions/series', () => {
    it('books a weekly series: 201 with the series and its sessions in order', async () => {
      const body = await seriesBody({
        date: '2031-05-05T09:00:00Z',
        frequency: 'weekly',
        occurrences: 4,
        duration_minutes: 60,
        notes: 'Weekly CBT',
      });
      const response = await postSeries(body);
      expect(response.status).toBe(201);
      const { series, data } = seriesOf(response);
      expect(series).toEqual({ id: expect.any(Number), frequency: 'weekly', occurrences: 4 });
      expect(datesOf(data)).toEqual(
        [0, 1, 2, 3].map((week) => iso(Date.parse('2031-05-05T09:00:00Z') + week * WEEK)),
      );
      for (const session of data) {
        expect(session).toMatchObject({
          series_id: series.id,
          therapist_id: body.therapist_id,
          patient_id: body.patient_id,
          duration_minutes: 60,
          notes: 'Weekly CBT',
          status: 'Scheduled',
          version: 1,
        });
      }
      const listed = sessionListOf(await t.http.get(`/api/sessions?series_id=${series.id}`).expect(200));
      expect(listed.meta.total).toBe(4);
      expect(listed.data.map((session) => session.id)).toEqual(data.map((session) => session.id));
      const history = await t.http.get(`/api/sessions/${data[2]?.id ?? 0}/history`).expect(200);
      expect((history.body as SessionHistoryResponse).data.map((event) => event.type)).toEqual(['created']);
    });

    it('books a fortnightly series, two weeks apart', async () => {
      const response = await postSeries(
        await seriesBody({ date: '2031-05-06T14:30:00Z', frequency: 'fortnightly', occurrences: 3 }),
      );
      const { series, data } = seriesOf(response);
      expect(response.status).toBe(201);
      expect(series).toMatchObject({ frequency: 'fortnightly', occurrences: 3 });
      expect(datesOf(data)).toEqual([
        '2031-05-06T14:30:00.000Z',
        '2031-05-20T14:30:00.000Z',
        '2031-06-03T14:30:00.000Z',
      ]);
    });

    it('books the smallest (2) and the largest (52) series', async () => {
      const two = seriesOf(
        await postSeries(
          await seriesBody({ date: '2031-05-07T08:00:00Z', frequency: 'weekly', occurrences: 2 }),
        ),
      );
      expect(two.data).toHaveLength(2);
      const year = await postSeries(
        await seriesBody({ date: '2031-01-01T08:00:00Z', frequency: 'weekly', occurrences: 52 }),
      );
      expect(year.status).toBe(201);
      const { series, data } = seriesOf(year);
      expect(data).toHaveLength(52);
      expect(new Set(data.map((session) => session.series_id))).toEqual(new Set([series.id]));
      const listed = sessionListOf(
        await t.http.get(`/api/sessions?series_id=${series.id}&page_size=100`).expect(200),
      );
      expect(listed.data.map((session) => session.id)).toEqual(data.map((session) => session.id));
    });

    it.each([
      [{ occurrences: 53 }, 'occurrences'],
      [{ occurrences: 1 }, 'occurrences'],
      [{ occurrences: 0 }, 'occurrences'],
      [{ occurrences: 2.5 }, 'occurrences'],
      [{ occurrences: undefined }, 'occurrences'],
      [{ frequency: 'monthly' }, 'frequency'],
      [{ frequency: undefined }, 'frequency'],
      [{ date: '2031-05-08T09:00:00' }, 'date'],
      [{ duration_minutes: 5 }, 'duration_minutes'],
    ])('refuses %o with a 400 naming %s, creating nothing', async (change, field) => {
      const before = await counts();
      const body = await seriesBody({
        date: '2031-05-08T09:00:00Z',
        frequency: 'weekly',
        occurrences: 4,
        ...change,
      });
      expect(fieldsOf(problemOf(await postSeries(body), 400))).toEqual([field]);
      expect(await counts()).toEqual(before);
    });

    it('an unknown therapist or patient → 400, creating nothing', async () => {
      const before = await counts();
      const problem = problemOf(
        await postSeries({
          therapist_id: 999_999,
          patient_id: 999_998,
          date: '2031-05-08T09:00:00Z',
          frequency: 'weekly',
          occurrences: 3,
        }),
        400,
      );
      expect(fieldsOf(problem)).toEqual(['patient_id', 'therapist_id']);
      expect(await counts()).toEqual(before);
    });
  });

  describe('all or nothing', () => {
    it('lists every failing occurrence (the patient’s session, the therapist’s buffer) and books none', async () => {
      const [ada, other] = [await therapist(), await therapist()];
      const cleo = await patient();
      const first = Date.parse('2031-06-02T09:00:00Z');
      // Occurrence 1 overlaps a session the patient has with another therapist.
      const patientsSession = await createSession(t.em(), {
        therapist: other,
        patient: cleo,
        startsAt: new Date(first + WEEK + 30 * MINUTE),
      });
      // Occurrence 3 starts 5 minutes after a session of the therapist ends (the buffer is 10).
      const therapistsSession = await createSession(t.em(), {
        therapist: ada,
        startsAt: new Date(first + 3 * WEEK - 55 * MINUTE),
      });
      const before = await counts();
      const response = await postSeries({
        therapist_id: ada.id,
        patient_id: cleo.id,
        date: iso(first),
        frequency: 'weekly',
        occurrences: 5,
      });
      const problem = problemOf(response, 409);
      expect(problem.type).toBe('/problems/series-not-bookable');
      expect(problem.detail).toContain('2 of 5');
      const failing = problem.failing_occurrences as FailingOccurrence[];
      expect(failing).toEqual([
        {
          index: 1,
          date: iso(first + WEEK),
          ends_at: iso(first + WEEK + 50 * MINUTE),
          reason: `overlaps session ${patientsSession.id} of the patient`,
          conflicting_session_id: patientsSession.id,
        },
        {
          index: 3,
          date: iso(first + 3 * WEEK),
          ends_at: iso(first + 3 * WEEK + 50 * MINUTE),
          reason: `Within the 10-minute buffer of session ${therapistsSession.id}`,
        },
      ]);
      expect(fieldsOf(problem)).toEqual(['occurrences[1]', 'occurrences[3]']);
      expect(problem.errors[0]?.message).toContain(iso(first + WEEK));
      expect(await counts()).toEqual(before);
    });

    it('lists an overlap and a day outside working hours together, and books once both are cleared', async () => {
      // Relative to now, so the first two occurrences lie in the past (a backfill, only checked for overlaps)
      // and the last in the future (checked against the working hours too).
      const tomorrowAtTen = Math.floor(Date.now() / DAY) * DAY + DAY + 10 * 3_600_000;
      const first = tomorrowAtTen - 2 * WEEK;
      const weekday = ((new Date(first).getUTCDay() + 6) % 7) + 1;
      const weekdays = [1, 2, 3, 4, 5, 6, 7].filter((day) => day !== weekday);
      const ada = await therapist({ timeZone: 'UTC' });
      await setHours(
        ada.id,
        weekdays.map((day) => ({ weekday: day, start: '08:00', end: '18:00' })),
      );
      const cleo = await patient();
      const clash = await createSession(t.em(), { patient: cleo, startsAt: new Date(first - 20 * MINUTE) });
      const body = {
        therapist_id: ada.id,
        patient_id: cleo.id,
        date: iso(first),
        frequency: 'weekly',
        occurrences: 3,
      };
      const before = await counts();

      const problem = problemOf(await postSeries(body), 409);
      expect(problem.type).toBe('/problems/series-not-bookable');
      const failing = problem.failing_occurrences as FailingOccurrence[];
      expect(failing.map((occurrence) => [occurrence.index, occurrence.date])).toEqual([
        [0, iso(first)],
        [2, iso(tomorrowAtTen)],
      ]);
      expect(failing[0]).toMatchObject({
        reason: `overlaps session ${clash.id} of the patient`,
        conflicting_session_id: clash.id,
      });
      expect(failing[1]?.reason).toMatch(
        /^Outside working hours: there are no working hours on \w+day \(UTC\)$/,
      );
      expect(fieldsOf(problem)).toEqual(['occurrences[0]', 'occurrences[2]']);
      expect(await counts()).toEqual(before);

      // The clash is in the past, so it cannot be cancelled any more; move it out of the way instead.
      await t.http
        .patch(`/api/sessions/${clash.id}`)
        .send({ date: iso(first - DAY) })
        .expect(200);
      await setHours(
        ada.id,
        [1, 2, 3, 4, 5, 6, 7].map((day) => ({ weekday: day, start: '08:00', end: '18:00' })),
      );
      const booked = await postSeries(body);
      expect(booked.status).toBe(201);
      expect(datesOf(seriesOf(booked).data)).toEqual([iso(first), iso(first + WEEK), iso(tomorrowAtTen)]);
    });

    it('a series entirely outside the working hours lists every occurrence', async () => {
      const ada = await therapist();
      await setHours(ada.id, [{ weekday: 1, start: '09:00', end: '17:00' }]);
      const before = await counts();
      // Tuesdays at 10:00 in Berlin.
      const problem = problemOf(
        await postSeries(
          await seriesBody({
            therapist_id: ada.id,
            date: '2031-06-03T10:00:00+02:00',
            frequency: 'fortnightly',
            occurrences: 3,
          }),
        ),
        409,
      );
      const failing = problem.failing_occurrences as FailingOccurrence[];
      expect(failing.map((occurrence) => occurrence.index)).toEqual([0, 1, 2]);
      for (const occurrence of failing) {
        expect(occurrence.reason).toBe(
          'Outside working hours: there are no working hours on Tuesday (Europe/Berlin)',
        );
      }
      expect(await counts()).toEqual(before);
    });

    it('an occurrence overlapping the therapist’s own session is named too', async () => {
      const ada = await therapist();
      const existing = await createSession(t.em(), {
        therapist: ada,
        startsAt: new Date('2031-07-14T09:20:00Z'),
      });
      const problem = problemOf(
        await postSeries(
          await seriesBody({
            therapist_id: ada.id,
            date: '2031-07-07T09:00:00Z',
            frequency: 'weekly',
            occurrences: 2,
          }),
        ),
        409,
      );
      expect(problem.failing_occurrences).toEqual([
        expect.objectContaining({ index: 1, reason: `overlaps session ${existing.id} of the therapist` }),
      ]);
    });
  });

  describe('a booking that wins the race against a series', () => {
    it('is named as a failing occurrence, with every other one, not as a bare overlap', async () => {
      // Hold a series of 7 between its checks and its inserts, long enough for another booking to commit.
      await t.em().execute(`
        create function hold_series() returns trigger language plpgsql as $$
        begin perform pg_sleep(1.5); return new; end $$;
        create trigger hold_series before insert on session_series
        for each row when (new.occurrences = 7) execute function hold_series();`);
      try {
        const [ada, bo, pat] = [await therapist(), await therapist(), await patient()];
        const series = postSeries({
          therapist_id: ada.id,
          patient_id: pat.id,
          date: '2032-03-01T09:00:00Z',
          frequency: 'weekly',
          occurrences: 7,
        });
        await new Promise((resolve) => setTimeout(resolve, 700));
        const rival = await t.http
          .post('/api/sessions')
          .send({ therapist_id: bo.id, patient_id: pat.id, date: '2032-03-15T09:30:00Z' })
          .expect(201);
        const problem = problemOf(await series, 409);
        expect(problem.type).toBe('/problems/series-not-bookable');
        expect(problem.failing_occurrences).toEqual([
          expect.objectContaining({
            index: 2,
            reason: `overlaps session ${sessionOf(rival).id} of the patient`,
          }),
        ]);
        expect(sessionListOf(await t.http.get(`/api/sessions?therapist_id=${ada.id}`)).meta.total).toBe(0);
      } finally {
        await t.em().execute(`drop trigger hold_series on session_series; drop function hold_series();`);
      }
    });
  });

  describe('daylight-saving time', () => {
    it('a weekly series at 10:00 in Berlin stays at 10:00 across the change of 30 March 2031', async () => {
      const ada = await therapist();
      await setHours(ada.id, [{ weekday: 1, start: '10:00', end: '11:00' }]);
      const response = await postSeries(
        await seriesBody({
          therapist_id: ada.id,
          date: '2031-03-17T10:00:00+01:00',
          frequency: 'weekly',
          occurrences: 4,
        }),
      );
      expect(response.status).toBe(201);
      expect(datesOf(seriesOf(response).data)).toEqual([
        '2031-03-17T09:00:00.000Z',
        '2031-03-24T09:00:00.000Z',
        '2031-03-31T08:00:00.000Z',
        '2031-04-07T08:00:00.000Z',
      ]);
    });

    it('and across the change back on 26 October 2031', async () => {
      const response = await postSeries(
        await seriesBody({ date: '2031-10-13T10:00:00+02:00', frequency: 'fortnightly', occurrences: 3 }),
      );
      expect(datesOf(seriesOf(response).data)).toEqual([
        '2031-10-13T08:00:00.000Z',
        '2031-10-27T09:00:00.000Z',
        '2031-11-10T09:00:00.000Z',
      ]);
    });

    it('a therapist in New York keeps New York time across the US change (9 March 2031)', async () => {
      const nyc = await therapist({ timeZone: 'America/New_York' });
      await setHours(nyc.id, [{ weekday: 1, start: '10:00', end: '11:00' }]);
      const response = await postSeries(
        await seriesBody({
          therapist_id: nyc.id,
          date: '2031-03-03T10:00:00-05:00',
          frequency: 'weekly',
          occurrences: 5,
        }),
      );
      expect(response.status).toBe(201);
      // EST (−05:00) before, EDT (−04:00) after; Berlin's change on 30 March does not move it.
      expect(datesOf(seriesOf(response).data)).toEqual([
        '2031-03-03T15:00:00.000Z',
        '2031-03-10T14:00:00.000Z',
        '2031-03-17T14:00:00.000Z',
        '2031-03-24T14:00:00.000Z',
        '2031-03-31T14:00:00.000Z',
      ]);
    });

    it('a series whose UTC time would leave the hours after the change is still bookable', async () => {
      // 10:00–11:00 local only: a series kept at 09:00Z would fall outside from 31 March on.
      const ada = await therapist();
      await setHours(ada.id, [{ weekday: 1, start: '10:00', end: '10:50' }]);
      const response = await postSeries(
        await seriesBody({
          therapist_id: ada.id,
          date: '2031-03-24T09:00:00Z',
          frequency: 'weekly',
          occurrences: 2,
        }),
      );
      expect(response.status).toBe(201);
      expect(datesOf(seriesOf(response).data)).toEqual([
        '2031-03-24T09:00:00.000Z',
        '2031-03-31T08:00:00.000Z',
      ]);
    });

    it('a single booking is checked against the hours in the therapist’s zone on each side of the change', async () => {
      const nyc = await therapist({ timeZone: 'America/New_York' });
      await setHours(nyc.id, [{ weekday: 1, start: '09:00', end: '17:00' }]);
      const book = async (date: string): Promise<number> =>
        (
          await t.http
            .post('/api/sessions')
            .send({ therapist_id: nyc.id, patient_id: (await patient()).id, date })
        ).status;
      // Monday 3 March (EST): 13:00Z is 08:00, 14:00Z is 09:00, 21:10Z is 16:10.
      expect(await book('2031-03-03T13:00:00Z')).toBe(409);
      expect(await book('2031-03-03T14:00:00Z')).toBe(201);
      expect(await book('2031-03-03T21:10:00Z')).toBe(201);
      // Monday 10 March (EDT): 13:00Z is 09:00, 21:10Z is 17:10.
      expect(await book('2031-03-10T13:00:00Z')).toBe(201);
      expect(await book('2031-03-10T21:10:00Z')).toBe(409);
      const problem = problemOf(
        await t.http
          .post('/api/sessions')
          .send({ therapist_id: nyc.id, patient_id: (await patient()).id, date: '2031-03-10T12:59:00Z' }),
        409,
      );
      expect(problem).toMatchObject({ type: '/problems/outside-working-hours' });
      expect(problem.detail).toContain('Monday: 09:00–17:00 (America/New_York)');
    });

    it('the clinic’s zone applies to a therapist without one (Berlin, 30 March 2031)', async () => {
      const ada = await therapist();
      await setHours(ada.id, [{ weekday: 1, start: '09:00', end: '17:00' }]);
      const book = (date: string): Promise<Response> =>
        createPatient(t.em()).then((person) =>
          t.http.post('/api/sessions').send({ therapist_id: ada.id, patient_id: person.id, date }),
        );
      // 07:00Z is 08:00 in winter (CET) and 09:00 in summer (CEST).
      problemOf(await book('2031-03-24T07:00:00Z'), 409);
      expect(sessionOf(await book('2031-03-31T07:00:00Z')).date).toBe('2031-03-31T07:00:00.000Z');
      expect((await book('2031-03-31T07:00:00+02:00')).status).toBe(409);
    });
  });

  describe('a date-time needs an offset', () => {
    it.each(['2031-03-30T02:30:00', '2031-03-17T10:00', '2031-03-17'])(
      'refuses %s with a 400 naming date, on every endpoint that takes one',
      async (date) => {
        const [ada, cleo] = [await therapist(), await patient()];
        const before = await counts();
        const single = await t.http
          .post('/api/sessions')
          .send({ therapist_id: ada.id, patient_id: cleo.id, date });
        expect(fieldsOf(problemOf(single, 400))).toEqual(['date']);
        const series = await postSeries({
          therapist_id: ada.id,
          patient_id: cleo.id,
          date,
          frequency: 'weekly',
          occurrences: 2,
        });
        expect(fieldsOf(problemOf(series, 400))).toEqual(['date']);
        const session = await createSession(t.em(), { startsAt: new Date('2031-03-20T09:00:00Z') });
        const moved = await t.http.patch(`/api/sessions/${session.id}`).send({ date });
        expect(fieldsOf(problemOf(moved, 400))).toEqual(['date']);
        expect((await counts())[0]).toBe((before[0] ?? 0) + 1);
      },
    );

    it('accepts Z and any offset for the same instant', async () => {
      const dates = ['2031-08-04T10:00:00Z', '2031-08-04T12:00:00+02:00', '2031-08-04T05:30:00-04:30'];
      const booked: string[] = [];
      for (const date of dates) {
        const response = await t.http
          .post('/api/sessions')
          .send({ therapist_id: (await therapist()).id, patient_id: (await patient()).id, date })
          .expect(201);
        booked.push(sessionOf(response).date);
      }
      expect(booked).toEqual(Array<string>(3).fill('2031-08-04T10:00:00.000Z'));
    });
  });
});
