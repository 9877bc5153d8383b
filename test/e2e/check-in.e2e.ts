import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { Session } from '../../src/sessions/session.entity.js';
import { createSession, createTherapist } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { historyOf, problemOf, sessionOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Check-in: the patient's arrival on the session and in its history, undoable, not a status, today only. */

const DAY = 24 * 3_600_000;
/** This minute: a session starting now is today's whatever the hour (the clinic's zone is UTC). */
const thisMinute = (): Date => new Date(Math.floor(Date.now() / 60_000) * 60_000);

describe('check-in', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'UTC' });
  });
  afterAll(() => t.close());

  const today = (data: Parameters<typeof createSession>[1] = {}): Promise<Session> =>
    createSession(t.em(), { startsAt: thisMinute(), ...data });

  describe('API', () => {
    it('records the arrival time and a history entry, keeps the status, and repeats without a change', async () => {
      const session = await today();
      const before = Date.now();
      const checked = await t.http.post(`/api/sessions/${session.id}/check-in`).expect(200);
      const body = sessionOf(checked);
      expect(body.status).toBe('Scheduled');
      expect(Date.parse(body.checked_in_at ?? '')).toBeGreaterThanOrEqual(before - 1000);
      expect(body.version).toBe(2);
      expect(checked.headers.etag).toBe('"2"');

      const again = sessionOf(await t.http.post(`/api/sessions/${session.id}/check-in`).expect(200));
      expect(again.checked_in_at).toBe(body.checked_in_at);
      expect(again.version).toBe(2);

      const history = historyOf(await t.http.get(`/api/sessions/${session.id}/history`).expect(200));
      expect(history.map((event) => event.type)).toEqual(['checked_in']);
      expect(history[0]?.after).toEqual({ checked_in_at: body.checked_in_at });
      expect(history[0]?.actor_id).toEqual(expect.any(Number));
      const read = sessionOf(await t.http.get(`/api/sessions/${session.id}`).expect(200));
      expect(read.checked_in_at).toBe(body.checked_in_at);
    });

    it('is undone with DELETE, which the history records; undoing again changes nothing', async () => {
      const session = await today();
      const checkedIn = sessionOf(await t.http.post(`/api/sessions/${session.id}/check-in`).expect(200));
      const undone = sessionOf(await t.http.delete(`/api/sessions/${session.id}/check-in`).expect(200));
      expect(undone.checked_in_at).toBeNull();
      expect(undone.version).toBe(3);
      const again = sessionOf(await t.http.delete(`/api/sessions/${session.id}/check-in`).expect(200));
      expect(again.version).toBe(3);
      const history = historyOf(await t.http.get(`/api/sessions/${session.id}/history`).expect(200));
      expect(history.map((event) => event.type)).toEqual(['checked_in', 'check_in_undone']);
      expect(history[1]?.before).toEqual({ checked_in_at: checkedIn.checked_in_at });
    });

    it.each([
      ['tomorrow', { startsAt: new Date(thisMinute().getTime() + DAY) }, 'on the day of the session'],
      ['yesterday', { startsAt: new Date(thisMinute().getTime() - DAY) }, 'on the day of the session'],
      [
        'cancelled',
        { status: SessionStatus.Cancelled, statusReason: 'Unwell' },
        'A Cancelled session cannot be checked in',
      ],
      ['a no-show', { status: SessionStatus.NoShow }, 'A No-Show session cannot be checked in'],
    ])('is refused for a session %s (409, nothing changes)', async (_, data, message) => {
      const session = await today(data);
      const problem = problemOf(await t.http.post(`/api/sessions/${session.id}/check-in`), 409);
      expect(problem.type).toBe('/problems/conflict');
      expect(problem.detail).toContain(message);
      expect(problem.errors).toEqual([{ field: 'checked_in_at', message: problem.detail }]);
      const read = sessionOf(await t.http.get(`/api/sessions/${session.id}`).expect(200));
      expect(read).toMatchObject({ checked_in_at: null, version: 1 });
      expect(historyOf(await t.http.get(`/api/sessions/${session.id}/history`).expect(200))).toEqual([]);
    });

    it('answers 404 for a session that does not exist', async () => {
      expect(problemOf(await t.http.post('/api/sessions/999999/check-in'), 404).type).toBe(
        '/problems/not-found',
      );
      expect(problemOf(await t.http.delete('/api/sessions/999999/check-in'), 404).type).toBe(
        '/problems/not-found',
      );
    });

    it('lets a therapist check in their own patients only', async () => {
      const me = await createTherapist(t.em());
      const mine = await today({ therapist: me });
      const theirs = await today();
      const therapist = await t.signIn('therapist', { therapistId: me.id });
      const own = sessionOf(await therapist.post(`/api/sessions/${mine.id}/check-in`).expect(200));
      expect(own.checked_in_at).not.toBeNull();
      problemOf(await therapist.post(`/api/sessions/${theirs.id}/check-in`), 404);
      problemOf(await therapist.delete(`/api/sessions/${theirs.id}/check-in`), 404);
      expect(sessionOf(await t.http.get(`/api/sessions/${theirs.id}`)).checked_in_at).toBeNull();
    });
  });

  describe('the page form', () => {
    it('checks in and undoes, then goes back to the day sheet at the session (303)', async () => {
      const session = await today();
      const returnTo = '/day?date=2031-03-03';
      await t.http
        .post(`/sessions/${session.id}/check-in`)
        .type('form')
        .send({ return_to: returnTo })
        .expect(303)
        .expect('Location', `${returnTo}#session-${session.id}`);
      expect(sessionOf(await t.http.get(`/api/sessions/${session.id}`)).checked_in_at).not.toBeNull();
      await t.http
        .post(`/sessions/${session.id}/check-in/undo`)
        .type('form')
        .send({ return_to: returnTo })
        .expect(303)
        .expect('Location', `${returnTo}#session-${session.id}`);
      expect(sessionOf(await t.http.get(`/api/sessions/${session.id}`)).checked_in_at).toBeNull();
    });

    it('goes back only to a path of this site', async () => {
      const session = await today();
      await t.http
        .post(`/sessions/${session.id}/check-in`)
        .type('form')
        .send({ return_to: '//evil.example/day' })
        .expect(303)
        .expect('Location', `/sessions/${session.id}#session-${session.id}`);
    });

    it('says why a check-in was refused, with the way back', async () => {
      const session = await today({ startsAt: new Date(thisMinute().getTime() + 2 * DAY) });
      const response = await t.http
        .post(`/sessions/${session.id}/check-in`)
        .type('form')
        .send({ return_to: '/day' })
        .expect(409);
      const $ = htmlOf(response);
      expect($('[role=alert]').text()).toContain('Check-in is on the day of the session');
      expect($('[role=alert] a').first().attr('href')).toBe('/day');
    });
  });
});
