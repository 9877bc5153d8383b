import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Response, Test } from 'supertest';
import type { SessionResponse } from '../../src/sessions/dto/session.dto.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { Session } from '../../src/sessions/session.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { cancelledOf, fieldsOf, problemOf, seriesOf, sessionOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The session lifecycle through PATCH /api/sessions/:id and POST /api/sessions/:id/cancel: every allowed and
 * refused status change, reasons, reopening, rescheduling, cancelling a series, and the history each change
 * leaves (and that a refused one does not). A property-based test replays random sequences of actions against
 * a small model of the transition table.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LATE_CANCEL_HOURS = 24;
const SEED = 20_261_125;

const fromNow = (milliseconds: number): Date => new Date(Date.now() + milliseconds);
const iso = (date: Date): string => date.toISOString();

const CANCELLATIONS: readonly SessionStatus[] = [SessionStatus.Cancelled, SessionStatus.LateCancelled];
const isCancellation = (status: SessionStatus): boolean => CANCELLATIONS.includes(status);
const NOT_SCHEDULED = [
  SessionStatus.Completed,
  SessionStatus.NoShow,
  SessionStatus.Cancelled,
  SessionStatus.LateCancelled,
] as const;

/** The body that asks for a status: cancellations carry the reason they require. */
const statusBody = (status: SessionStatus, reason = 'Patient is unwell'): Record<string, string> =>
  isCancellation(status) ? { status, reason } : { status };

describe('session lifecycle', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      CLINIC_TIMEZONE: 'Europe/Berlin',
      LATE_CANCEL_HOURS: String(LATE_CANCEL_HOURS),
    });
  });
  afterAll(() => t.close());

  /** A session of its own therapist and patient, so no rule about other sessions gets in the way. */
  const sessionAt = async (
    startsAt: Date,
    status: SessionStatus = SessionStatus.Scheduled,
  ): Promise<Session> =>
    createSession(t.em(), {
      startsAt,
      status,
      statusReason: isCancellation(status) ? 'Arranged by the test' : null,
    });

  const { current, history } = schedulingHelpers(() => t);
  const patch = (id: number, body: object): Test => t.http.patch(`/api/sessions/${id}`).send(body);

  /** Sends a change that must be refused, and checks that neither the session nor its history moved. */
  const refused = async (id: number, body: object, status: number, type: string): Promise<Response> => {
    const [before, eventsBefore] = await Promise.all([current(id), history(id)]);
    const response = await patch(id, body);
    expect(problemOf(response, status).type).toBe(type);
    expect(await current(id)).toEqual(before);
    expect(await history(id)).toEqual(eventsBefore);
    return response;
  };

  describe('Scheduled → Completed / No-Show', () => {
    it.each([SessionStatus.Completed, SessionStatus.NoShow])(
      'is allowed once the session has started: %s',
      async (status) => {
        const session = await sessionAt(fromNow(-2 * HOUR));
        const updated = sessionOf(await patch(session.id, { status }));
        expect(updated).toMatchObject({ status, status_reason: null, version: 2 });
        expect(await current(session.id)).toEqual(updated);
      },
    );

    it('is allowed the minute a session starts', async () => {
      const session = await sessionAt(fromNow(-MINUTE));
      expect(sessionOf(await patch(session.id, { status: 'Completed' })).status).toBe('Completed');
    });

    it.each([
      ['in 3 hours', 3 * HOUR, [SessionStatus.LateCancelled]],
      ['in 5 days', 5 * DAY, [SessionStatus.Cancelled]],
    ])(
      'is refused for a session that starts %s, naming the current and the allowed statuses',
      async (_, offset, allowed) => {
        const session = await sessionAt(fromNow(offset));
        for (const status of [SessionStatus.Completed, SessionStatus.NoShow]) {
          const problem = problemOf(
            await refused(session.id, { status }, 409, '/problems/status-transition-not-allowed'),
            409,
          );
          expect(problem).toMatchObject({ current_status: 'Scheduled', allowed_statuses: allowed });
          expect(fieldsOf(problem)).toEqual(['status']);
        }
      },
    );
  });

  describe('Scheduled → Cancelled / Late-Cancelled', () => {
    const outsideWindow = (LATE_CANCEL_HOURS * 60 + 10) * MINUTE;
    const insideWindow = (LATE_CANCEL_HOURS * 60 - 10) * MINUTE;

    it(`Cancelled more than ${LATE_CANCEL_HOURS} hours before the start, with its reason`, async () => {
      const session = await sessionAt(fromNow(outsideWindow));
      const updated = sessionOf(await patch(session.id, { status: 'Cancelled', reason: '  Moved abroad  ' }));
      expect(updated).toMatchObject({ status: 'Cancelled', status_reason: 'Moved abroad', version: 2 });
    });

    it(`Late-Cancelled is refused more than ${LATE_CANCEL_HOURS} hours before the start`, async () => {
      const session = await sessionAt(fromNow(outsideWindow));
      const problem = problemOf(
        await refused(
          session.id,
          statusBody(SessionStatus.LateCancelled),
          409,
          '/problems/status-transition-not-allowed',
        ),
        409,
      );
      expect(problem).toMatchObject({ current_status: 'Scheduled', allowed_statuses: ['Cancelled'] });
    });

    it(`Late-Cancelled within ${LATE_CANCEL_HOURS} hours of the start`, async () => {
      const session = await sessionAt(fromNow(insideWindow));
      const updated = sessionOf(await patch(session.id, statusBody(SessionStatus.LateCancelled)));
      expect(updated).toMatchObject({ status: 'Late-Cancelled', status_reason: 'Patient is unwell' });
    });

    it(`Cancelled is refused within ${LATE_CANCEL_HOURS} hours of the start`, async () => {
      const session = await sessionAt(fromNow(insideWindow));
      const problem = problemOf(
        await refused(
          session.id,
          statusBody(SessionStatus.Cancelled),
          409,
          '/problems/status-transition-not-allowed',
        ),
        409,
      );
      expect(problem).toMatchObject({ current_status: 'Scheduled', allowed_statuses: ['Late-Cancelled'] });
    });

    it('a session that has started can no longer be cancelled: it took place or was missed', async () => {
      const session = await sessionAt(fromNow(-3 * DAY));
      for (const status of [SessionStatus.Cancelled, SessionStatus.LateCancelled]) {
        const problem = problemOf(
          await refused(session.id, statusBody(status), 409, '/problems/status-transition-not-allowed'),
          409,
        );
        expect(problem).toMatchObject({
          current_status: 'Scheduled',
          allowed_statuses: ['Completed', 'No-Show'],
        });
      }
      expect(sessionOf(await patch(session.id, statusBody(SessionStatus.NoShow))).status).toBe('No-Show');
    });

    it.each([
      [SessionStatus.Cancelled, outsideWindow],
      [SessionStatus.LateCancelled, insideWindow],
    ])('%s without a reason → 400 naming reason', async (status, offset) => {
      const session = await sessionAt(fromNow(offset));
      for (const body of [{ status }, { status, reason: '' }, { status, reason: '   ' }]) {
        const problem = problemOf(await refused(session.id, body, 400, '/problems/validation-error'), 400);
        expect(fieldsOf(problem)).toEqual(['reason']);
      }
      const tooLong = problemOf(await patch(session.id, { status, reason: 'x'.repeat(501) }), 400);
      expect(fieldsOf(tooLong)).toEqual(['reason']);
    });

    it.each([
      [{ status: 'Completed', reason: 'Went well' }],
      [{ status: 'No-Show', reason: 'Did not come' }],
      [{ status: 'Scheduled', reason: 'Reopened' }],
      [{ notes: 'Bring forms', reason: 'Why not' }],
      [{ reason: 'On its own' }],
    ])('a reason with anything but a cancellation → 400 naming reason: %o', async (body) => {
      const session = await sessionAt(fromNow(-2 * HOUR), SessionStatus.Scheduled);
      const problem = problemOf(await refused(session.id, body, 400, '/problems/validation-error'), 400);
      expect(fieldsOf(problem)).toEqual(['reason']);
    });

    it('honours LATE_CANCEL_HOURS from the environment', async () => {
      const other = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin', LATE_CANCEL_HOURS: '48' });
      try {
        const em = other.em();
        const in30Hours = await createSession(em, { startsAt: fromNow(30 * HOUR) });
        const in50Hours = await createSession(em, { startsAt: fromNow(50 * HOUR) });
        const lateProblem = problemOf(
          await other.http.patch(`/api/sessions/${in30Hours.id}`).send(statusBody(SessionStatus.Cancelled)),
          409,
        );
        expect(lateProblem.allowed_statuses).toEqual(['Late-Cancelled']);
        await other.http
          .patch(`/api/sessions/${in30Hours.id}`)
          .send(statusBody(SessionStatus.LateCancelled))
          .expect(200);
        await other.http
          .patch(`/api/sessions/${in50Hours.id}`)
          .send(statusBody(SessionStatus.Cancelled))
          .expect(200);
      } finally {
        await other.close();
      }
    });
  });

  describe('from every other status', () => {
    const pairs = NOT_SCHEDULED.flatMap((from) =>
      NOT_SCHEDULED.filter((to) => to !== from).map((to) => [from, to] as const),
    );

    it.each(pairs)('%s → %s is refused: only a reopen is allowed', async (from, to) => {
      const session = await sessionAt(fromNow(-2 * DAY), from);
      const problem = problemOf(
        await refused(session.id, statusBody(to), 409, '/problems/status-transition-not-allowed'),
        409,
      );
      expect(problem).toMatchObject({ current_status: from, allowed_statuses: ['Scheduled'] });
    });

    it.each(NOT_SCHEDULED)('%s → Scheduled (reopen) clears the reason', async (from) => {
      const session = await sessionAt(fromNow(2 * DAY), from);
      const reopened = sessionOf(await patch(session.id, { status: 'Scheduled' }));
      expect(reopened).toMatchObject({ status: 'Scheduled', status_reason: null, version: 2 });
      const events = await history(session.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'status_changed',
        before: { status: from, status_reason: isCancellation(from) ? 'Arranged by the test' : null },
        after: { status: 'Scheduled', status_reason: null },
        reason: null,
      });
    });

    it('sending the status a session already has is not a transition → 409, nothing changes', async () => {
      const session = await sessionAt(fromNow(-2 * DAY), SessionStatus.Completed);
      const problem = problemOf(await patch(session.id, { status: 'Completed' }), 409);
      expect(problem).toMatchObject({ current_status: 'Completed', allowed_statuses: ['Scheduled'] });
      expect(sessionOf(await t.http.get(`/api/sessions/${session.id}`).expect(200)).version).toBe(1);
      expect(await history(session.id)).toEqual([]);
    });

    it('answers 404 for a session that does not exist', async () => {
      expect(problemOf(await patch(999_999, { status: 'Completed' }), 404).type).toBe('/problems/not-found');
    });
  });

  describe('reschedule', () => {
    it('moves a Scheduled session and keeps the previous time in its history', async () => {
      const start = fromNow(3 * DAY);
      const session = await sessionAt(start);
      const to = new Date(start.getTime() + DAY + 30 * MINUTE);
      const moved = sessionOf(await patch(session.id, { date: iso(to), duration_minutes: 90 }));
      expect(moved).toMatchObject({
        date: iso(to),
        duration_minutes: 90,
        ends_at: iso(new Date(to.getTime() + 90 * MINUTE)),
        status: 'Scheduled',
        version: 2,
      });
      expect(await history(session.id)).toEqual([
        expect.objectContaining({
          type: 'rescheduled',
          before: { date: iso(start), duration_minutes: 50 },
          after: { date: iso(to), duration_minutes: 90 },
        }),
      ]);
    });

    it('changes only the duration', async () => {
      const session = await sessionAt(fromNow(-5 * DAY));
      const longer = sessionOf(await patch(session.id, { duration_minutes: 60 }));
      expect(longer).toMatchObject({ date: iso(session.startsAt), duration_minutes: 60, version: 2 });
    });

    it.each(NOT_SCHEDULED)('is refused for a %s session (409 not-reschedulable)', async (status) => {
      const start = fromNow(-2 * DAY);
      const session = await sessionAt(start, status);
      for (const body of [
        { date: iso(new Date(start.getTime() - DAY)) },
        { duration_minutes: 60 },
        { date: iso(new Date(start.getTime() + HOUR)), duration_minutes: 45 },
      ]) {
        const problem = problemOf(await refused(session.id, body, 409, '/problems/not-reschedulable'), 409);
        expect(fieldsOf(problem)).toEqual(['date']);
      }
    });

    it('is allowed again once the session is reopened', async () => {
      const start = fromNow(-2 * DAY);
      const session = await sessionAt(start, SessionStatus.NoShow);
      await patch(session.id, { status: 'Scheduled' }).expect(200);
      const to = iso(new Date(start.getTime() - DAY));
      expect(sessionOf(await patch(session.id, { date: to })).date).toBe(to);
    });

    it('refuses a whole request when one part is refused (no partial change)', async () => {
      const session = await sessionAt(fromNow(-2 * DAY), SessionStatus.Completed);
      await refused(
        session.id,
        { notes: 'Should not stick', date: iso(fromNow(-DAY)) },
        409,
        '/problems/not-reschedulable',
      );
    });
  });

  describe('POST /api/sessions/:id/cancel', () => {
    /** A weekly series of its own people: one occurrence last week, then in 3 hours, in 1 and in 2 weeks. */
    const bookSeries = async (): Promise<SessionResponse[]> => {
      const em = t.em();
      const [therapist, patient] = [await createTherapist(em), await createPatient(em)];
      const response = await t.http
        .post('/api/sessions/series')
        .send({
          therapist_id: therapist.id,
          patient_id: patient.id,
          date: iso(fromNow(-7 * DAY + 3 * HOUR)),
          frequency: 'weekly',
          occurrences: 4,
        })
        .expect(201);
      return seriesOf(response).data;
    };
    const expectedCancellation = (session: SessionResponse): SessionStatus =>
      new Date(session.date).getTime() - Date.now() <= LATE_CANCEL_HOURS * HOUR
        ? SessionStatus.LateCancelled
        : SessionStatus.Cancelled;

    it('cancels one session, Cancelled or Late-Cancelled by its start', async () => {
      const early = await sessionAt(fromNow(3 * DAY));
      const late = await sessionAt(fromNow(3 * HOUR));
      const [first] = cancelledOf(
        await t.http.post(`/api/sessions/${early.id}/cancel`).send({ reason: 'Holiday' }).expect(200),
      );
      expect(first).toMatchObject({
        id: early.id,
        status: 'Cancelled',
        status_reason: 'Holiday',
        version: 2,
      });
      const lateResponse = await t.http
        .post(`/api/sessions/${late.id}/cancel`)
        .send({ reason: 'Sick', scope: 'this' })
        .expect(200);
      expect(cancelledOf(lateResponse)).toEqual([
        expect.objectContaining({ id: late.id, status: 'Late-Cancelled', status_reason: 'Sick' }),
      ]);
    });

    it('with scope "following" cancels this and every later occurrence, each by its own start', async () => {
      const occurrences = await bookSeries();
      expect(occurrences).toHaveLength(4);
      const [past, soon, ...later] = occurrences;
      if (!past || !soon) throw new Error('the series has fewer occurrences than booked');
      const response = await t.http
        .post(`/api/sessions/${soon.id}/cancel`)
        .send({ reason: 'Therapy paused', scope: 'following' })
        .expect(200);
      const cancelled = cancelledOf(response);
      expect(cancelled.map((session) => session.id)).toEqual([soon, ...later].map((session) => session.id));
      expect(cancelled.map((session) => session.status)).toEqual([
        'Late-Cancelled',
        'Cancelled',
        'Cancelled',
      ]);
      for (const session of [soon, ...later]) {
        expect(await current(session.id)).toMatchObject({
          status: expectedCancellation(session),
          status_reason: 'Therapy paused',
        });
      }
      expect(await current(past.id)).toMatchObject({ status: 'Scheduled', version: 1 });
    });

    it('with scope "following" from an occurrence within the late window: it and every later one', async () => {
      const occurrences = await bookSeries();
      const [first, soon] = occurrences;
      if (!first || !soon) throw new Error('the series has fewer occurrences than booked');
      problemOf(
        await t.http
          .post(`/api/sessions/${first.id}/cancel`)
          .send({ reason: 'Moved away', scope: 'following' }),
        409,
      );
      const cancelled = cancelledOf(
        await t.http
          .post(`/api/sessions/${soon.id}/cancel`)
          .send({ reason: 'Moved away', scope: 'following' })
          .expect(200),
      );
      expect(cancelled.map((session) => session.status)).toEqual([
        'Late-Cancelled',
        'Cancelled',
        'Cancelled',
      ]);
      expect(await current(first.id)).toMatchObject({ status: 'Scheduled', version: 1 });
    });

    it('with scope "this" cancels only that occurrence', async () => {
      const occurrences = await bookSeries();
      const [, soon, third, fourth] = occurrences;
      if (!soon || !third || !fourth) throw new Error('the series has fewer occurrences than booked');
      const cancelled = cancelledOf(
        await t.http.post(`/api/sessions/${third.id}/cancel`).send({ reason: 'Conference' }).expect(200),
      );
      expect(cancelled).toEqual([expect.objectContaining({ id: third.id, status: 'Cancelled' })]);
      for (const untouched of [soon, fourth]) {
        expect(await current(untouched.id)).toMatchObject({ status: 'Scheduled', version: 1 });
      }
    });

    it('"following" skips later occurrences that are no longer Scheduled', async () => {
      const occurrences = await bookSeries();
      const [, soon, third, fourth] = occurrences;
      if (!soon || !third || !fourth) throw new Error('the series has fewer occurrences than booked');
      await t.http.post(`/api/sessions/${third.id}/cancel`).send({ reason: 'First reason' }).expect(200);
      const cancelled = cancelledOf(
        await t.http
          .post(`/api/sessions/${soon.id}/cancel`)
          .send({ reason: 'Second reason', scope: 'following' })
          .expect(200),
      );
      expect(cancelled.map((session) => session.id)).toEqual([soon.id, fourth.id]);
      expect(await current(third.id)).toMatchObject({ status_reason: 'First reason', version: 2 });
    });

    it('refuses a session that is not Scheduled, changing nothing', async () => {
      const session = await sessionAt(fromNow(-DAY), SessionStatus.Completed);
      const response = await t.http.post(`/api/sessions/${session.id}/cancel`).send({ reason: 'Too late' });
      expect(problemOf(response, 409)).toMatchObject({
        type: '/problems/status-transition-not-allowed',
        current_status: 'Completed',
        allowed_statuses: ['Scheduled'],
      });
      expect(await current(session.id)).toMatchObject({ status: 'Completed', version: 1 });
    });

    it.each([
      [{}, 'reason'],
      [{ reason: '' }, 'reason'],
      [{ reason: 'Fine', scope: 'all' }, 'scope'],
    ])('refuses %o with a 400 naming %s', async (body, field) => {
      const session = await sessionAt(fromNow(3 * DAY));
      const problem = problemOf(await t.http.post(`/api/sessions/${session.id}/cancel`).send(body), 400);
      expect(fieldsOf(problem)).toEqual([field]);
      expect(await current(session.id)).toMatchObject({ status: 'Scheduled', version: 1 });
    });

    it('answers 404 for a session that does not exist', async () => {
      problemOf(await t.http.post('/api/sessions/999999/cancel').send({ reason: 'Gone' }), 404);
    });
  });

  describe('GET /api/sessions/:id/history', () => {
    it('lists created, notes_changed, rescheduled and status_changed, oldest first', async () => {
      const em = t.em();
      const [therapist, patient] = [await createTherapist(em), await createPatient(em)];
      const start = new Date(Math.ceil((Date.now() + 3 * DAY) / HOUR) * HOUR);
      const created = sessionOf(
        await t.http
          .post('/api/sessions')
          .send({ therapist_id: therapist.id, patient_id: patient.id, date: iso(start) })
          .expect(201),
      );
      const id = created.id;
      await patch(id, { notes: 'Bring the forms' }).expect(200);
      const moved = new Date(start.getTime() + DAY);
      await patch(id, { date: iso(moved) }).expect(200);
      // Refused changes leave no trace.
      await refused(id, { status: 'Completed' }, 409, '/problems/status-transition-not-allowed');
      await refused(id, { status: 'Cancelled' }, 400, '/problems/validation-error');
      await refused(
        id,
        { status: 'Late-Cancelled', reason: 'x' },
        409,
        '/problems/status-transition-not-allowed',
      );
      await patch(id, { status: 'Cancelled', reason: 'Holiday' }).expect(200);
      await refused(id, { date: iso(start) }, 409, '/problems/not-reschedulable');
      await patch(id, { status: 'Scheduled' }).expect(200);

      const events = await history(id);
      expect(events.map((event) => event.type)).toEqual([
        'created',
        'notes_changed',
        'rescheduled',
        'status_changed',
        'status_changed',
      ]);
      expect(events).toEqual([
        expect.objectContaining({
          before: null,
          after: { date: iso(start), duration_minutes: 50, status: 'Scheduled', notes: null },
          reason: null,
          actor: 'Test admin',
          actor_id: expect.any(Number),
        }),
        expect.objectContaining({ before: { notes: null }, after: { notes: 'Bring the forms' } }),
        expect.objectContaining({
          before: { date: iso(start), duration_minutes: 50 },
          after: { date: iso(moved), duration_minutes: 50 },
        }),
        expect.objectContaining({
          before: { status: 'Scheduled', status_reason: null },
          after: { status: 'Cancelled', status_reason: 'Holiday' },
          reason: 'Holiday',
        }),
        expect.objectContaining({
          before: { status: 'Cancelled', status_reason: 'Holiday' },
          after: { status: 'Scheduled', status_reason: null },
          reason: null,
        }),
      ]);
      const ids = events.map((event) => BigInt(event.id));
      expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
      const times = events.map((event) => event.occurred_at);
      expect([...times].sort()).toEqual(times);
      expect((await current(id)).version).toBe(5);
    });

    it('records one event per field a single request changes', async () => {
      const session = await sessionAt(fromNow(4 * DAY));
      const to = iso(fromNow(5 * DAY));
      await patch(session.id, { notes: 'Both at once', date: to }).expect(200);
      expect((await history(session.id)).map((event) => event.type)).toEqual([
        'rescheduled',
        'notes_changed',
      ]);
      expect((await current(session.id)).version).toBe(2);
    });

    it('answers 404 for a session that does not exist', async () => {
      problemOf(await t.http.get('/api/sessions/999999/history'), 404);
    });
  });

  describe('property: the API follows the transition table', () => {
    type When = 'past' | 'soon' | 'later';
    type Action =
      { kind: 'status'; to: SessionStatus } | { kind: 'reschedule'; to: When } | { kind: 'notes' };

    interface Model {
      status: SessionStatus;
      start: number;
      duration: number;
      notes: string | null;
      reason: string | null;
      version: number;
      events: number;
    }

    /** Far from every boundary: started two days ago, in 3 hours (late window), or in 4 days. */
    const OFFSETS: Record<When, number> = { past: -2 * DAY, soon: 3 * HOUR, later: 4 * DAY };

    /** The rules, written independently of session-lifecycle.ts (the spec they restate). */
    const allowedFrom = (model: Model, now: number): SessionStatus[] => {
      if (model.status !== SessionStatus.Scheduled) return [SessionStatus.Scheduled];
      if (now >= model.start) return [SessionStatus.Completed, SessionStatus.NoShow];
      return [
        now >= model.start - LATE_CANCEL_HOURS * HOUR ? SessionStatus.LateCancelled : SessionStatus.Cancelled,
      ];
    };

    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.constantFrom(...Object.values(SessionStatus)).map((to): Action => ({ kind: 'status', to })),
      fc.constantFrom<When>('past', 'soon', 'later').map((to): Action => ({ kind: 'reschedule', to })),
      fc.constant<Action>({ kind: 'notes' }),
    );

    const describeAction = (step: Action): string =>
      step.kind === 'status' ? step.to : step.kind === 'reschedule' ? `reschedule:${step.to}` : 'notes';

    it('random sequences of actions on past and future sessions', async () => {
      let runs = 0;
      let steps = 0;
      let accepted = 0;
      let refusedCount = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<When>('past', 'soon', 'later'),
          fc.array(action, { minLength: 1, maxLength: 12 }),
          async (when, actions) => {
            runs++;
            const start = Date.now() + OFFSETS[when];
            const session = await sessionAt(new Date(start));
            const model: Model = {
              status: SessionStatus.Scheduled,
              start,
              duration: 50,
              notes: null,
              reason: null,
              version: 1,
              events: 0,
            };
            for (const [index, step] of actions.entries()) {
              steps++;
              const now = Date.now();
              const label = `step ${index} (${describeAction(step)}) from ${model.status}`;
              let body: Record<string, string | number>;
              let outcome: { status: 200 } | { status: 400 | 409; type: string };
              let next: Partial<Model> = {};

              if (step.kind === 'status') {
                body = statusBody(step.to, `Reason ${index}`);
                if (allowedFrom(model, now).includes(step.to)) {
                  outcome = { status: 200 };
                  next = { status: step.to, reason: isCancellation(step.to) ? `Reason ${index}` : null };
                } else {
                  outcome = { status: 409, type: '/problems/status-transition-not-allowed' };
                }
              } else if (step.kind === 'reschedule') {
                const to = now + OFFSETS[step.to] + (index + 1) * MINUTE;
                body = { date: iso(new Date(to)) };
                if (model.status === SessionStatus.Scheduled) {
                  outcome = { status: 200 };
                  next = { start: to };
                } else {
                  outcome = { status: 409, type: '/problems/not-reschedulable' };
                }
              } else {
                const notes = `Notes ${index}`;
                body = { notes };
                outcome = { status: 200 };
                next = { notes };
              }

              const response = await t.http
                .patch(`/api/sessions/${session.id}`)
                .set('If-Match', `"${model.version}"`)
                .send(body);
              if (outcome.status === 200) {
                expect({ label, status: response.status }).toEqual({ label, status: 200 });
                if (Object.keys(next).length > 0) {
                  Object.assign(model, next, { version: model.version + 1, events: model.events + 1 });
                  accepted++;
                }
                expect(response.headers.etag).toBe(`"${model.version}"`);
              } else {
                const problem = problemOf(response, outcome.status);
                expect({ label, type: problem.type }).toEqual({ label, type: outcome.type });
                if (outcome.type === '/problems/status-transition-not-allowed') {
                  expect(problem.current_status).toBe(model.status);
                  expect(problem.allowed_statuses).toEqual(allowedFrom(model, now));
                }
                refusedCount++;
              }

              const actual = await current(session.id);
              expect({ label, session: actual }).toMatchObject({
                label,
                session: {
                  status: model.status,
                  status_reason: model.reason,
                  date: iso(new Date(model.start)),
                  duration_minutes: model.duration,
                  notes: model.notes,
                  version: model.version,
                },
              });
            }
            expect(await history(session.id)).toHaveLength(model.events);
          },
        ),
        { numRuns: 60, seed: SEED },
      );
      console.info(
        `transition property: ${runs} runs, ${steps} actions: ${accepted} applied, ` +
          `${steps - accepted - refusedCount} no-ops, ${refusedCount} refused with nothing changed`,
      );
      expect(refusedCount).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThan(0);
    }, 240_000);
  });
});
