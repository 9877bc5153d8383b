import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response, Test } from 'supertest';
import type { AvailabilityResponse } from '../../src/sessions/dto/availability.dto.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { WorkingHoursIntervalResponse } from '../../src/scheduling/dto/working-hours.dto.js';
import { createSession } from '../utils/factories.js';
import { fieldsOf, problemOf, scheduleOf, sessionOf, therapistOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Weekly working hours (CRUD), and how they and the buffer between sessions govern bookings: future sessions
 * only within the hours and outside every buffer, backfills only checked for overlaps, the therapist's own time
 * zone, and the availability endpoint offering exactly the slots a booking accepts.
 *
 * The clinic is in Europe/Berlin (UTC+01:00 in January). January 2031: Monday 13th … Sunday 19th.
 */

const MINUTE = 60_000;
const MONDAY = '2031-01-13';
const TUESDAY = '2031-01-14';
const WEDNESDAY = '2031-01-15';
const SUNDAY = '2031-01-19';

/** A wall-clock time in Berlin in January (UTC+01:00) as the API writes instants. */
const berlin = (date: string, time: string): string => new Date(`${date}T${time}:00+01:00`).toISOString();
const plus = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

const intervalOf = (response: Response): WorkingHoursIntervalResponse =>
  response.body as WorkingHoursIntervalResponse;
const availabilityOf = (response: Response): AvailabilityResponse => response.body as AvailabilityResponse;

interface ConflictingSession {
  id: number;
  date: string;
  ends_at: string;
}

const MONDAY_NINE_TO_FIVE = [{ weekday: 1, start: '09:00', end: '17:00' }];

describe('working hours and buffers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const { therapist, book, booked, setHours, therapistWith } = schedulingHelpers(() => t);
  const hoursUrl = (id: number): string => `/api/therapists/${id}/working-hours`;
  const refusedAs = (response: Response, type: string): ReturnType<typeof problemOf> => {
    const problem = problemOf(response, 409);
    expect(problem.type).toBe(`/problems/${type}`);
    expect(fieldsOf(problem)).toEqual(['date']);
    return problem;
  };
  const availability = (id: number, query: string): Test =>
    t.http.get(`/api/therapists/${id}/availability?${query}`);

  describe('CRUD /api/therapists/:id/working-hours', () => {
    it('starts empty, in the clinic’s time zone', async () => {
      const person = await therapist();
      expect(scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200))).toEqual({
        therapist_id: person.id,
        time_zone: 'Europe/Berlin',
        data: [],
      });
    });

    it('PUT replaces the whole week, Monday first then by start; an empty list removes it', async () => {
      const person = await therapist();
      const first = await setHours(person.id, [
        { weekday: 3, start: '13:00', end: '18:00' },
        { weekday: 1, start: '13:00', end: '17:00' },
        { weekday: 1, start: '08:30', end: '12:00' },
      ]);
      expect(first.data.map(({ weekday, start, end }) => ({ weekday, start, end }))).toEqual([
        { weekday: 1, start: '08:30', end: '12:00' },
        { weekday: 1, start: '13:00', end: '17:00' },
        { weekday: 3, start: '13:00', end: '18:00' },
      ]);
      for (const interval of first.data) expect(interval.id).toEqual(expect.any(Number));
      const second = await setHours(person.id, [{ weekday: 7, start: '20:00', end: '24:00' }]);
      expect(second.data).toEqual([{ id: expect.any(Number), weekday: 7, start: '20:00', end: '24:00' }]);
      expect(scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200))).toEqual(second);
      expect((await setHours(person.id, [])).data).toEqual([]);
    });

    it('POST adds one interval (201) and DELETE removes it (204, then 404)', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      const added = intervalOf(
        await t.http.post(hoursUrl(person.id)).send({ weekday: 2, start: '10:00', end: '14:00' }).expect(201),
      );
      expect(added).toEqual({ id: expect.any(Number), weekday: 2, start: '10:00', end: '14:00' });
      // Touching intervals do not overlap.
      await t.http.post(hoursUrl(person.id)).send({ weekday: 2, start: '14:00', end: '16:00' }).expect(201);
      expect(scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200)).data).toHaveLength(3);
      await t.http.delete(`${hoursUrl(person.id)}/${added.id}`).expect(204);
      const after = scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200));
      expect(after.data.map((interval) => interval.id)).not.toContain(added.id);
      expect(after.data).toHaveLength(2);
      expect(problemOf(await t.http.delete(`${hoursUrl(person.id)}/${added.id}`), 404).type).toBe(
        '/problems/not-found',
      );
    });

    it('an interval of another therapist is not found through this one', async () => {
      const owner = await therapist();
      const other = await therapist();
      const [interval] = (await setHours(owner.id, MONDAY_NINE_TO_FIVE)).data;
      if (!interval) throw new Error('no interval was stored');
      problemOf(await t.http.delete(`${hoursUrl(other.id)}/${interval.id}`), 404);
      expect((await setHours(owner.id, MONDAY_NINE_TO_FIVE)).data).toHaveLength(1);
    });

    it('overlapping intervals on one day → 409, and nothing changes', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      const before = scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200));
      const added = await t.http.post(hoursUrl(person.id)).send({ weekday: 1, start: '16:59', end: '18:00' });
      expect(problemOf(added, 409).type).toBe('/problems/conflict');
      const replaced = await t.http.put(hoursUrl(person.id)).send({
        intervals: [
          { weekday: 2, start: '09:00', end: '12:00' },
          { weekday: 2, start: '11:00', end: '13:00' },
        ],
      });
      expect(problemOf(replaced, 409).type).toBe('/problems/conflict');
      expect(scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200))).toEqual(before);
    });

    it.each([
      [{ weekday: 1, start: '17:00', end: '09:00' }, 'intervals.0.end'],
      [{ weekday: 1, start: '09:00', end: '09:00' }, 'intervals.0.end'],
      [{ weekday: 0, start: '09:00', end: '17:00' }, 'intervals.0.weekday'],
      [{ weekday: 8, start: '09:00', end: '17:00' }, 'intervals.0.weekday'],
      [{ weekday: 1, start: '9:00', end: '17:00' }, 'intervals.0.start'],
      [{ weekday: 1, start: '09:00', end: '24:30' }, 'intervals.0.end'],
    ])('PUT %o → 400 naming %s', async (interval, field) => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      const response = await t.http
        .put(hoursUrl(person.id))
        .send({ intervals: [{ weekday: 3, start: '09:00', end: '10:00' }, interval].reverse() });
      expect(fieldsOf(problemOf(response, 400))).toEqual([field]);
      expect(scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200)).data).toHaveLength(1);
    });

    it('names the position of a bad interval in the list', async () => {
      const person = await therapist();
      const response = await t.http.put(hoursUrl(person.id)).send({
        intervals: [
          { weekday: 1, start: '09:00', end: '10:00' },
          { weekday: 2, start: '12:00', end: '11:00' },
        ],
      });
      expect(fieldsOf(problemOf(response, 400))).toEqual(['intervals.1.end']);
    });

    it('POST with the end not after the start → 400 naming end', async () => {
      const person = await therapist();
      const response = await t.http
        .post(hoursUrl(person.id))
        .send({ weekday: 1, start: '12:00', end: '11:59' });
      expect(fieldsOf(problemOf(response, 400))).toEqual(['end']);
    });

    it('PUT without a list → 400 naming intervals', async () => {
      const person = await therapist();
      expect(fieldsOf(problemOf(await t.http.put(hoursUrl(person.id)).send({}), 400))).toEqual(['intervals']);
      const notAList = problemOf(await t.http.put(hoursUrl(person.id)).send({ intervals: { a: 1 } }), 400);
      expect(notAList.errors).toEqual([{ field: 'intervals', message: 'intervals must be an array' }]);
    });

    it('an unknown therapist → 404 on every method', async () => {
      for (const response of [
        await t.http.get(hoursUrl(999_999)),
        await t.http.put(hoursUrl(999_999)).send({ intervals: MONDAY_NINE_TO_FIVE }),
        await t.http.post(hoursUrl(999_999)).send(MONDAY_NINE_TO_FIVE[0]),
        await t.http.delete(`${hoursUrl(999_999)}/1`),
      ]) {
        expect(problemOf(response, 404).type).toBe('/problems/not-found');
      }
    });
  });

  describe('booking within working hours', () => {
    it('accepts a future session touching both edges of the hours', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      await booked({ therapist: person.id, date: berlin(MONDAY, '09:00') });
      await booked({ therapist: person.id, date: berlin(MONDAY, '16:10') });
      await booked({ therapist: person.id, date: berlin(MONDAY, '12:00'), minutes: 240 });
    });

    it.each([
      ['starts one minute before the hours', '08:59', 50],
      ['ends one minute after the hours', '16:11', 50],
      ['starts at the end of the hours', '17:00', 15],
    ])('refuses a future session that %s → 409 outside-working-hours', async (_, time, minutes) => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      const problem = refusedAs(
        await book({ therapist: person.id, date: berlin(MONDAY, time), minutes }),
        'outside-working-hours',
      );
      expect(problem.detail).toContain('Monday: 09:00–17:00 (Europe/Berlin)');
    });

    it('refuses a day without hours', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      const problem = refusedAs(
        await book({ therapist: person.id, date: berlin(TUESDAY, '10:00') }),
        'outside-working-hours',
      );
      expect(problem.detail).toContain('no working hours on Tuesday');
    });

    it('refuses a session spanning the break between two intervals', async () => {
      const person = await therapistWith([
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 1, start: '13:00', end: '17:00' },
      ]);
      refusedAs(await book({ therapist: person.id, date: berlin(MONDAY, '11:30') }), 'outside-working-hours');
      await booked({ therapist: person.id, date: berlin(MONDAY, '13:00') });
    });

    it('accepts an interval up to midnight (24:00)', async () => {
      const person = await therapistWith([{ weekday: 7, start: '20:00', end: '24:00' }]);
      await booked({ therapist: person.id, date: berlin(SUNDAY, '23:00'), minutes: 60 });
    });

    it('a session may run from one day into the next when the hours run on across midnight', async () => {
      const person = await therapistWith([
        { weekday: 7, start: '22:00', end: '24:00' },
        { weekday: 1, start: '00:00', end: '02:00' },
      ]);
      await booked({ therapist: person.id, date: berlin(SUNDAY, '22:00'), minutes: 60 });
      const slots = availabilityOf(
        await availability(
          person.id,
          `from=${encodeURIComponent(berlin(SUNDAY, '22:00'))}&to=${encodeURIComponent(plus(berlin(SUNDAY, '22:00'), 240))}&duration_minutes=60`,
        ).expect(200),
      ).slots;
      // 22:00–23:00 is taken; with the 10-minute buffer the first free start on the grid is 23:15, until 00:15.
      const acrossMidnight = plus(berlin(SUNDAY, '22:00'), 75);
      expect(slots[0]).toEqual({ start: acrossMidnight, end: plus(acrossMidnight, 60) });
      await booked({ therapist: person.id, date: acrossMidnight, minutes: 60 });
    });

    it('a therapist without working hours can be booked at any time', async () => {
      const person = await therapist();
      await booked({ therapist: person.id, date: berlin(SUNDAY, '03:00') });
      await booked({ therapist: person.id, date: berlin(TUESDAY, '23:30'), minutes: 60 });
    });

    it('a backfill (a session that took place) is only checked for overlaps', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      // Sunday 16 November 2025, 03:00 in Berlin: no working hours then, and back to back with another.
      const sunday = '2025-11-16T02:00:00.000Z';
      await booked({ therapist: person.id, date: sunday });
      await booked({ therapist: person.id, date: plus(sunday, 50) });
      refusedAs(await book({ therapist: person.id, date: plus(sunday, 99) }), 'session-overlap');
    });

    it('a reschedule out of the hours → 409, nothing changes', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      const id = await booked({ therapist: person.id, date: berlin(MONDAY, '14:00') });
      const before = sessionOf(await t.http.get(`/api/sessions/${id}`).expect(200));
      refusedAs(
        await t.http.patch(`/api/sessions/${id}`).send({ date: berlin(MONDAY, '16:30') }),
        'outside-working-hours',
      );
      refusedAs(
        await t.http.patch(`/api/sessions/${id}`).send({ duration_minutes: 240 }),
        'outside-working-hours',
      );
      expect(sessionOf(await t.http.get(`/api/sessions/${id}`).expect(200))).toEqual(before);
    });

    it('changing the hours applies to the next booking', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      refusedAs(
        await book({ therapist: person.id, date: berlin(WEDNESDAY, '10:00') }),
        'outside-working-hours',
      );
      await t.http.post(hoursUrl(person.id)).send({ weekday: 3, start: '10:00', end: '11:00' }).expect(201);
      await booked({ therapist: person.id, date: berlin(WEDNESDAY, '10:00') });
    });
  });

  describe('the therapist’s time zone', () => {
    it('reads the hours in the therapist’s own zone, set with PATCH /api/therapists/:id', async () => {
      const person = await therapistWith(MONDAY_NINE_TO_FIVE);
      // 09:00 in Berlin is 03:00 in New York; 09:00 in New York is 15:00 in Berlin.
      const updated = therapistOf(
        await t.http
          .patch(`/api/therapists/${person.id}`)
          .send({ time_zone: 'America/New_York' })
          .expect(200),
      );
      expect(updated.time_zone).toBe('America/New_York');
      expect(scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200)).time_zone).toBe(
        'America/New_York',
      );
      const problem = refusedAs(
        await book({ therapist: person.id, date: berlin(MONDAY, '09:00') }),
        'outside-working-hours',
      );
      expect(problem.detail).toContain('(America/New_York)');
      await booked({ therapist: person.id, date: '2031-01-13T09:00:00-05:00' });
      await booked({ therapist: person.id, date: '2031-01-13T16:10:00-05:00' });
      refusedAs(
        await book({ therapist: person.id, date: '2031-01-13T16:11:00-05:00' }),
        'outside-working-hours',
      );

      await t.http.patch(`/api/therapists/${person.id}`).send({ time_zone: null }).expect(200);
      await booked({ therapist: person.id, date: berlin(MONDAY, '11:00') });
    });

    it('a time zone is stored as IANA spells it; a bare UTC offset is not a time zone', async () => {
      const person = await therapist();
      const spelled = await t.http
        .patch(`/api/therapists/${person.id}`)
        .send({ time_zone: ' america/new_york ' })
        .expect(200);
      expect(therapistOf(spelled).time_zone).toBe('America/New_York');
      for (const offset of ['+05:00', '-0800']) {
        const problem = problemOf(
          await t.http.patch(`/api/therapists/${person.id}`).send({ time_zone: offset }),
          400,
        );
        expect(problem.errors).toEqual([
          { field: 'time_zone', message: 'time_zone must be an IANA time-zone name such as Europe/London' },
        ]);
      }
    });

    it('a Sunday evening in New York is a Monday in Berlin', async () => {
      const person = await therapistWith([{ weekday: 7, start: '18:00', end: '22:00' }], {
        timeZone: 'America/New_York',
      });
      // Sunday 19 January, 20:00 in New York = Monday 20 January, 02:00 in Berlin.
      await booked({ therapist: person.id, date: '2031-01-19T20:00:00-05:00' });
      refusedAs(await book({ therapist: person.id, date: berlin(SUNDAY, '20:00') }), 'outside-working-hours');
    });
  });

  describe('buffer between sessions', () => {
    // An existing future session 10:00–10:50 (UTC), therapists without working hours.
    const TEN = '2031-02-05T10:00:00.000Z';

    it('defaults to 10 minutes: exactly 10 minutes after the end → 201, 9 → 409 naming the session', async () => {
      const person = await therapist();
      expect(person.bufferMinutes).toBe(10);
      const existing = await booked({ therapist: person.id, date: TEN });
      const problem = refusedAs(await book({ therapist: person.id, date: plus(TEN, 59) }), 'within-buffer');
      expect(problem.conflicting_session as ConflictingSession).toMatchObject({
        id: existing,
        date: TEN,
        ends_at: plus(TEN, 50),
      });
      expect(problem.detail).toContain('10 minutes');
      await booked({ therapist: person.id, date: plus(TEN, 60) });
    });

    it('applies to reopening a cancelled future session too: its time must fit the buffer again', async () => {
      const person = await therapist();
      const first = await booked({ therapist: person.id, date: TEN });
      await t.http.patch(`/api/sessions/${first}`).send({ status: 'Cancelled', reason: 'Moved' }).expect(200);
      const second = await booked({ therapist: person.id, date: plus(TEN, 55) });
      refusedAs(await t.http.patch(`/api/sessions/${first}`).send({ status: 'Scheduled' }), 'within-buffer');
      await t.http
        .patch(`/api/sessions/${second}`)
        .send({ status: 'Cancelled', reason: 'Moved' })
        .expect(200);
      await t.http.patch(`/api/sessions/${first}`).send({ status: 'Scheduled' }).expect(200);
    });

    it('also before: ending exactly 10 minutes before the start → 201, 9 → 409', async () => {
      const person = await therapist();
      const existing = await booked({ therapist: person.id, date: TEN });
      const problem = refusedAs(await book({ therapist: person.id, date: plus(TEN, -59) }), 'within-buffer');
      expect((problem.conflicting_session as ConflictingSession).id).toBe(existing);
      await booked({ therapist: person.id, date: plus(TEN, -60) });
    });

    it('an overlap is still an overlap, not a buffer problem', async () => {
      const person = await therapist();
      await booked({ therapist: person.id, date: TEN });
      refusedAs(await book({ therapist: person.id, date: plus(TEN, 30) }), 'session-overlap');
    });

    it('buffer_minutes: 0 on the therapist allows back-to-back sessions', async () => {
      const person = await therapist();
      await booked({ therapist: person.id, date: TEN });
      refusedAs(await book({ therapist: person.id, date: plus(TEN, 50) }), 'within-buffer');
      const updated = therapistOf(
        await t.http.patch(`/api/therapists/${person.id}`).send({ buffer_minutes: 0 }).expect(200),
      );
      expect(updated.buffer_minutes).toBe(0);
      await booked({ therapist: person.id, date: plus(TEN, 50) });
      await booked({ therapist: person.id, date: plus(TEN, -50) });
    });

    it('a longer buffer (30) refuses a 20-minute gap', async () => {
      const person = await therapist();
      await t.http.patch(`/api/therapists/${person.id}`).send({ buffer_minutes: 30 }).expect(200);
      await booked({ therapist: person.id, date: TEN });
      const problem = refusedAs(await book({ therapist: person.id, date: plus(TEN, 70) }), 'within-buffer');
      expect(problem.detail).toContain('30 minutes');
      await booked({ therapist: person.id, date: plus(TEN, 80) });
    });

    it('a cancelled session keeps no buffer', async () => {
      const person = await therapist();
      const existing = await booked({ therapist: person.id, date: TEN });
      await t.http.post(`/api/sessions/${existing}/cancel`).send({ reason: 'Ill' }).expect(200);
      await booked({ therapist: person.id, date: plus(TEN, 55) });
    });

    it('a reschedule into the buffer → 409; next to its own old time is fine', async () => {
      const person = await therapist();
      await booked({ therapist: person.id, date: TEN });
      const moving = await booked({ therapist: person.id, date: plus(TEN, 180) });
      refusedAs(await t.http.patch(`/api/sessions/${moving}`).send({ date: plus(TEN, 55) }), 'within-buffer');
      await t.http
        .patch(`/api/sessions/${moving}`)
        .send({ date: plus(TEN, 185) })
        .expect(200);
    });

    it('a session under way is not a backfill: extending it into the next one’s buffer → 409', async () => {
      const person = await therapist();
      const now = Date.now();
      const started = await booked({
        therapist: person.id,
        date: new Date(now - 5 * 60_000).toISOString(),
        minutes: 50,
      });
      await booked({ therapist: person.id, date: new Date(now + 55 * 60_000).toISOString(), minutes: 50 });
      const stretched = await t.http.patch(`/api/sessions/${started}`).send({ duration_minutes: 59 });
      refusedAs(stretched, 'within-buffer');
    });

    it('a session under way outside the hours can still be corrected, completed and reopened', async () => {
      const now = Date.now();
      const weekday = ((new Date(now).getUTCDay() + 6) % 7) + 1;
      const person = await therapist();
      const ongoing = await booked({
        therapist: person.id,
        date: new Date(now - 20 * 60_000).toISOString(),
        minutes: 90,
      });
      // Hours set afterwards that do not cover the session (in the clinic's zone, Berlin: at most 2 hours off UTC).
      await setHours(person.id, [{ weekday: (weekday % 7) + 1, start: '09:00', end: '17:00' }]);
      const corrected = await t.http
        .patch(`/api/sessions/${ongoing}`)
        .send({ status: 'Completed', duration_minutes: 60 })
        .expect(200);
      expect(sessionOf(corrected)).toMatchObject({ status: 'Completed', duration_minutes: 60 });
      const reopened = await t.http
        .patch(`/api/sessions/${ongoing}`)
        .send({ status: 'Scheduled' })
        .expect(200);
      expect(sessionOf(reopened).status).toBe('Scheduled');
      const shorter = await t.http
        .patch(`/api/sessions/${ongoing}`)
        .send({ duration_minutes: 45 })
        .expect(200);
      expect(sessionOf(shorter).duration_minutes).toBe(45);
    });

    it('a backfill ignores the buffer', async () => {
      const person = await therapist();
      await booked({ therapist: person.id, date: '2025-03-03T10:00:00Z' });
      await booked({ therapist: person.id, date: '2025-03-03T10:51:00Z' });
    });
  });

  describe('GET /api/therapists/:id/availability', () => {
    it('offers the grid starts within the hours that keep the buffer, and no others', async () => {
      const person = await therapistWith([{ weekday: 1, start: '09:00', end: '12:00' }]);
      await booked({ therapist: person.id, date: berlin(MONDAY, '10:00') });
      const response = await availability(
        person.id,
        `from=${MONDAY}&to=${MONDAY}&duration_minutes=50`,
      ).expect(200);
      expect(availabilityOf(response)).toEqual({
        therapist_id: person.id,
        time_zone: 'Europe/Berlin',
        duration_minutes: 50,
        buffer_minutes: 10,
        slots: [
          { start: berlin(MONDAY, '09:00'), end: berlin(MONDAY, '09:50') },
          { start: berlin(MONDAY, '11:00'), end: berlin(MONDAY, '11:50') },
        ],
      });

      const [first] = availabilityOf(response).slots;
      if (!first) throw new Error('no slot offered');
      await booked({ therapist: person.id, date: first.start });
      const after = availabilityOf(
        await availability(person.id, `from=${MONDAY}&to=${MONDAY}&duration_minutes=50`).expect(200),
      );
      expect(after.slots).toEqual([{ start: berlin(MONDAY, '11:00'), end: berlin(MONDAY, '11:50') }]);
    });

    it('defaults to 50 minutes and takes a shorter duration', async () => {
      const person = await therapistWith([{ weekday: 1, start: '09:00', end: '10:00' }]);
      const byDefault = availabilityOf(
        await availability(person.id, `from=${MONDAY}&to=${MONDAY}`).expect(200),
      );
      expect(byDefault.duration_minutes).toBe(50);
      expect(byDefault.slots.map((slot) => slot.start)).toEqual([berlin(MONDAY, '09:00')]);
      const short = availabilityOf(
        await availability(person.id, `from=${MONDAY}&to=${MONDAY}&duration_minutes=30`).expect(200),
      );
      expect(short.slots.map((slot) => slot.start)).toEqual([
        berlin(MONDAY, '09:00'),
        berlin(MONDAY, '09:15'),
        berlin(MONDAY, '09:30'),
      ]);
    });

    it('every offered slot books, and every other start on the grid is refused', async () => {
      const person = await therapistWith([
        { weekday: 3, start: '08:00', end: '12:00' },
        { weekday: 3, start: '13:30', end: '18:00' },
      ]);
      await booked({ therapist: person.id, date: berlin(WEDNESDAY, '09:40'), minutes: 40 });
      await booked({ therapist: person.id, date: berlin(WEDNESDAY, '14:00'), minutes: 90 });
      const offered = availabilityOf(
        await availability(person.id, `from=${WEDNESDAY}&to=${WEDNESDAY}&duration_minutes=45`).expect(200),
      ).slots.map((slot) => slot.start);
      expect(offered.length).toBeGreaterThan(0);
      let accepted = 0;
      let refused = 0;
      for (let minute = 0; minute + 45 <= 24 * 60; minute += 15) {
        const start = plus(berlin(WEDNESDAY, '00:00'), minute);
        const response = await book({ therapist: person.id, date: start, minutes: 45 });
        if (offered.includes(start)) {
          expect({ start, status: response.status }).toEqual({ start, status: 201 });
          await t.http
            .post(`/api/sessions/${sessionOf(response).id}/cancel`)
            .send({ reason: 'Probe' })
            .expect(200);
          accepted++;
        } else {
          expect({ start, status: response.status }).toEqual({ start, status: 409 });
          expect(['outside-working-hours', 'within-buffer', 'session-overlap']).toContain(
            problemOf(response, 409).type.replace('/problems/', ''),
          );
          refused++;
        }
      }
      console.info(
        `availability on one day: ${accepted} offered slots booked, ${refused} other grid starts refused`,
      );
      expect(accepted).toBe(offered.length);
    });

    it('absent around a session: its own time and the buffer', async () => {
      const person = await therapist();
      await booked({ therapist: person.id, date: '2031-02-10T12:00:00Z' });
      const slots = availabilityOf(
        await availability(
          person.id,
          'from=2031-02-10T10:00:00Z&to=2031-02-10T15:00:00Z&duration_minutes=60',
        ).expect(200),
      ).slots.map((slot) => slot.start.slice(11, 16));
      // A 60-minute slot must end by 11:50 (10 minutes before 12:00) or start at 13:00 or later.
      expect(slots).toEqual([
        '10:00',
        '10:15',
        '10:30',
        '10:45',
        '13:00',
        '13:15',
        '13:30',
        '13:45',
        '14:00',
      ]);
    });

    it('never offers a slot in the past', async () => {
      const person = await therapist();
      const now = Date.now();
      const from = new Date(now - 3 * 3_600_000).toISOString();
      const to = new Date(now + 3 * 3_600_000).toISOString();
      const slots = availabilityOf(
        await availability(person.id, `from=${from}&to=${to}&duration_minutes=30`).expect(200),
      ).slots;
      expect(slots.length).toBeGreaterThan(0);
      // The first one is the next start on the 15-minute grid.
      expect(Date.parse(slots[0]?.start ?? '')).toBeLessThanOrEqual(now + 15 * MINUTE + 10_000);
      for (const slot of slots) expect(Date.parse(slot.start)).toBeGreaterThan(now);
      const past = availabilityOf(
        await availability(person.id, 'from=2025-01-06&to=2025-01-07&duration_minutes=30').expect(200),
      );
      expect(past.slots).toEqual([]);
    });

    it('a range of 31 days is fine; more → 400 naming to', async () => {
      const person = await therapist();
      await availability(person.id, 'from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z').expect(200);
      const problem = problemOf(
        await availability(person.id, 'from=2031-01-01T00:00:00Z&to=2031-02-01T00:01:00Z'),
        400,
      );
      expect(fieldsOf(problem)).toEqual(['to']);
      expect(
        fieldsOf(problemOf(await availability(person.id, 'from=2031-01-01&to=2031-03-01'), 400)),
      ).toEqual(['to']);
    });

    it.each([
      ['to=2031-01-13', 'from'],
      ['from=2031-01-13', 'to'],
      ['from=2031-01-13T09:00&to=2031-01-14', 'from'],
      ['from=2031-01-13&to=2031-01-14&duration_minutes=10', 'duration_minutes'],
      ['from=2031-01-13&to=2031-01-14&duration_minutes=abc', 'duration_minutes'],
      ['from=2031-01-14&to=2031-01-13', 'to'],
    ])('%s → 400 naming %s', async (query, field) => {
      const person = await therapist();
      expect(fieldsOf(problemOf(await availability(person.id, query), 400))).toEqual([field]);
    });

    it('an unknown therapist → 404', async () => {
      problemOf(await availability(999_999, 'from=2031-01-13&to=2031-01-14'), 404);
    });

    it('reads the hours in the therapist’s zone', async () => {
      const person = await therapistWith([{ weekday: 1, start: '09:00', end: '10:00' }], {
        timeZone: 'America/New_York',
      });
      const result = availabilityOf(
        await availability(person.id, `from=${MONDAY}&to=${TUESDAY}&duration_minutes=60`).expect(200),
      );
      expect(result.time_zone).toBe('America/New_York');
      expect(result.slots).toEqual([{ start: '2031-01-13T14:00:00.000Z', end: '2031-01-13T15:00:00.000Z' }]);
    });

    it('a slot next to a Completed session respects its buffer too', async () => {
      const person = await therapist();
      await createSession(t.em(), {
        therapist: person,
        startsAt: new Date('2031-02-11T12:00:00Z'),
        status: SessionStatus.Completed,
      });
      const slots = availabilityOf(
        await availability(
          person.id,
          'from=2031-02-11T11:00:00Z&to=2031-02-11T14:00:00Z&duration_minutes=30',
        ).expect(200),
      ).slots.map((slot) => slot.start.slice(11, 16));
      expect(slots).toEqual(['11:00', '11:15', '13:00', '13:15', '13:30']);
    });
  });

  describe('changing one interval in place', () => {
    it('answers with the changed interval and the Scheduled sessions it leaves out', async () => {
      const person = await therapistWith([{ weekday: 2, start: '09:00', end: '17:00' }]);
      const afternoon = await booked({ therapist: person.id, date: berlin(TUESDAY, '15:00') });
      const morning = await booked({ therapist: person.id, date: berlin(TUESDAY, '10:00') });
      const [interval] = (await setHours(person.id, [{ weekday: 2, start: '09:00', end: '17:00' }])).data;
      const response = await t.http
        .patch(`${hoursUrl(person.id)}/${interval?.id}`)
        .send({ weekday: 2, start: '09:00', end: '13:00' })
        .expect(200);
      const body = response.body as WorkingHoursIntervalResponse & {
        stranded_sessions: { id: number; url: string; reason: string }[];
      };
      expect([body.id, body.weekday, body.start, body.end]).toEqual([interval?.id, 2, '09:00', '13:00']);
      expect(body.stranded_sessions.map((session) => session.id)).toEqual([afternoon]);
      expect(body.stranded_sessions[0]?.url).toBe(`/sessions/${afternoon}`);
      expect(body.stranded_sessions.map((session) => session.id)).not.toContain(morning);
    });

    it('refuses an unknown interval (404), an end before the start (400) and an overlap (409)', async () => {
      const person = await therapistWith([
        { weekday: 3, start: '09:00', end: '12:00' },
        { weekday: 3, start: '13:00', end: '17:00' },
      ]);
      const [first] = scheduleOf(await t.http.get(hoursUrl(person.id)).expect(200)).data;
      await t.http
        .patch(`${hoursUrl(person.id)}/999999`)
        .send({ weekday: 3, start: '09:00', end: '10:00' })
        .expect(404);
      const backwards = await t.http
        .patch(`${hoursUrl(person.id)}/${first?.id}`)
        .send({ weekday: 3, start: '12:00', end: '09:00' });
      expect(fieldsOf(problemOf(backwards, 400))).toEqual(['end']);
      await t.http
        .patch(`${hoursUrl(person.id)}/${first?.id}`)
        .send({ weekday: 3, start: '09:00', end: '14:00' })
        .expect(409);
    });
  });
});
