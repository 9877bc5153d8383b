import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Patient } from '../../src/patients/patient.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { Session } from '../../src/sessions/session.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf, sessionListOf, sessionOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

// Module-level so that the two '/api/sessions' blocks below share one arrangement, each on an app of its own.
let t: TestApp;
let ada: Therapist;
let ben: Therapist;
let cleo: Patient;
let dev: Patient;
let sessions: Session[];

async function arrangeSessions(): Promise<void> {
  t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  const em = t.em();
  ada = await createTherapist(em, { name: 'Ada Lovelace' });
  ben = await createTherapist(em, { name: 'Ben 100%_Sure' });
  cleo = await createPatient(em, { name: 'Cleo Patra' });
  dev = await createPatient(em, { name: 'Dev Ops' });
  sessions = [
    await createSession(em, { therapist: ada, patient: cleo, startsAt: new Date('2025-11-10T09:00:00Z') }),
    await createSession(em, {
      therapist: ada,
      patient: dev,
      startsAt: new Date('2025-11-11T09:00:00Z'),
      status: SessionStatus.Completed,
    }),
    await createSession(em, { therapist: ben, patient: cleo, startsAt: new Date('2025-11-12T09:00:00Z') }),
    // 23:30 UTC on the 12th is already the 13th in Berlin.
    await createSession(em, { therapist: ben, patient: dev, startsAt: new Date('2025-11-12T23:30:00Z') }),
    await createSession(em, { therapist: ada, patient: cleo, startsAt: new Date('2025-11-20T09:00:00Z') }),
  ];
}

const idsOf = async (query: string): Promise<number[]> =>
  sessionListOf(await t.http.get(`/api/sessions${query}`).expect(200)).data.map((session) => session.id);
const idAt = (index: number): number => {
  const session = sessions[index];
  if (!session) throw new Error(`no session ${index}`);
  return session.id;
};

// Reads see the arrangement as it was made; the writes (which add and change sessions) run on another app.
describe('/api/sessions', () => {
  beforeAll(arrangeSessions);
  afterAll(() => t.close());

  describe('GET list', () => {
    it('returns every field of a session and the page meta', async () => {
      const list = sessionListOf(await t.http.get('/api/sessions').expect(200));
      expect(list.meta).toEqual({
        page: 1,
        page_size: 25,
        total: 5,
        total_is_estimate: false,
        next_cursor: null,
        prev_cursor: null,
      });
      expect(list.data[0]).toEqual({
        id: idAt(0),
        therapist_id: ada.id,
        patient_id: cleo.id,
        therapist: { id: ada.id, name: 'Ada Lovelace' },
        patient: { id: cleo.id, name: 'Cleo Patra' },
        date: '2025-11-10T09:00:00.000Z',
        duration_minutes: 50,
        ends_at: '2025-11-10T09:50:00.000Z',
        status: 'Scheduled',
        notes: null,
        status_reason: null,
        series_id: null,
        checked_in_at: null,
        version: 1,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('sorts by date ascending by default and descending on request', async () => {
      expect(await idsOf('')).toEqual([0, 1, 2, 3, 4].map(idAt));
      expect(await idsOf('?order=desc')).toEqual([4, 3, 2, 1, 0].map(idAt));
    });

    it('sorts by therapist, patient, status and created_at', async () => {
      expect(await idsOf('?sort=therapist')).toEqual([0, 1, 4, 2, 3].map(idAt));
      expect(await idsOf('?sort=patient&order=desc')).toEqual([3, 1, 4, 2, 0].map(idAt));
      expect((await idsOf('?sort=status&order=desc'))[4]).toBe(idAt(1));
      expect(await idsOf('?sort=created_at')).toEqual([0, 1, 2, 3, 4].map(idAt));
    });

    it('paginates with page and page_size', async () => {
      const second = sessionListOf(await t.http.get('/api/sessions?page=2&page_size=2').expect(200));
      expect(second.meta).toMatchObject({ page: 2, page_size: 2, total: 5, total_is_estimate: false });
      expect(second.data.map((session) => session.id)).toEqual([2, 3].map(idAt));
      const beyond = sessionListOf(await t.http.get('/api/sessions?page=9&page_size=2').expect(200));
      expect(beyond.data).toEqual([]);
      expect(beyond.meta.total).toBe(5);
    });

    it('filters by status, therapist and patient', async () => {
      expect(await idsOf('?status=Completed')).toEqual([idAt(1)]);
      expect(await idsOf(`?therapist_id=${ben.id}`)).toEqual([2, 3].map(idAt));
      expect(await idsOf(`?patient_id=${dev.id}&therapist_id=${ada.id}`)).toEqual([idAt(1)]);
    });

    it('searches therapist and patient names case-insensitively, with % and _ taken literally', async () => {
      expect(await idsOf('?q=LOVELACE')).toEqual([0, 1, 4].map(idAt));
      expect(await idsOf('?q=patra')).toEqual([0, 2, 4].map(idAt));
      expect(await idsOf('?q=100%25_')).toEqual([2, 3].map(idAt));
      expect(await idsOf('?q=%25')).toEqual([2, 3].map(idAt));
      expect(await idsOf('?q=nobody')).toEqual([]);
    });

    it('filters a date-time range: from inclusive, to exclusive', async () => {
      expect(await idsOf('?from=2025-11-11T09:00:00Z&to=2025-11-12T09:00:00Z')).toEqual([idAt(1)]);
    });

    it('reads a plain date in the clinic time zone and includes the whole `to` day', async () => {
      expect(await idsOf('?from=2025-11-13&to=2025-11-13')).toEqual([idAt(3)]);
      expect(await idsOf('?from=2025-11-12&to=2025-11-12')).toEqual([idAt(2)]);
      expect(await idsOf('?to=2025-11-11')).toEqual([0, 1].map(idAt));
    });

    it.each([
      ['page=0', 'page'],
      ['page=x', 'page'],
      ['page_size=101', 'page_size'],
      ['page_size=0', 'page_size'],
      ['status=Done', 'status'],
      ['status=', 'status'],
      ['therapist_id=abc', 'therapist_id'],
      ['patient_id=-1', 'patient_id'],
      ['therapist_id=99999999999', 'therapist_id'],
      ['from=2025-11-10T09:00:00', 'from'],
      ['from=2025-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['sort=duration', 'sort'],
      ['order=up', 'order'],
      ['limit=10', 'limit'],
      ['page=1&page=2', 'page'],
      ['q=' + 'x'.repeat(201), 'q'],
    ])('rejects %s with a 400 naming %s', async (query, field) => {
      const problem = problemOf(await t.http.get(`/api/sessions?${query}`), 400);
      expect(problem.type).toBe('/problems/validation-error');
      expect(fieldsOf(problem)).toEqual([field]);
    });

    it('rejects a range whose end is before its start', async () => {
      const problem = problemOf(await t.http.get('/api/sessions?from=2025-11-12&to=2025-11-10'), 400);
      expect(fieldsOf(problem)).toEqual(['to']);
    });

    it('lists every bad parameter at once', async () => {
      const problem = problemOf(await t.http.get('/api/sessions?page=0&sort=x&status=y&foo=1'), 400);
      expect(fieldsOf(problem)).toEqual(['foo', 'page', 'sort', 'status']);
    });
  });

  describe('GET one', () => {
    it('returns the session', async () => {
      const session = sessionOf(await t.http.get(`/api/sessions/${idAt(2)}`).expect(200));
      expect(session).toMatchObject({
        id: idAt(2),
        therapist: { name: 'Ben 100%_Sure' },
        patient: { name: 'Cleo Patra' },
      });
    });

    it('answers 404 for an unknown id', async () => {
      const problem = problemOf(await t.http.get('/api/sessions/999999'), 404);
      expect(problem).toMatchObject({
        type: '/problems/not-found',
        detail: 'Session 999999 does not exist.',
      });
    });

    it.each(['0', 'abc', '1e3', '01', '-5', '99999999999', '1.5'])(
      'answers 400 for the id %s',
      async (id) => {
        expect(fieldsOf(problemOf(await t.http.get(`/api/sessions/${id}`), 400))).toEqual(['id']);
      },
    );
  });
});

describe('/api/sessions', () => {
  beforeAll(arrangeSessions);
  afterAll(() => t.close());

  describe('POST', () => {
    it('books with defaults and answers 201 with a Location', async () => {
      const response = await t.http
        .post('/api/sessions')
        .send({ therapist_id: ben.id, patient_id: dev.id, date: '2025-12-01T10:00:00+01:00' })
        .expect(201);
      const session = sessionOf(response);
      expect(response.headers.location).toBe(`/api/sessions/${session.id}`);
      expect(session).toMatchObject({
        date: '2025-12-01T09:00:00.000Z',
        duration_minutes: 50,
        ends_at: '2025-12-01T09:50:00.000Z',
        status: 'Scheduled',
        notes: null,
        version: 1,
      });
      expect(sessionOf(await t.http.get(`/api/sessions/${session.id}`).expect(200))).toEqual(session);
    });

    it('accepts a duration and notes', async () => {
      const session = sessionOf(
        await t.http
          .post('/api/sessions')
          .send({
            therapist_id: ada.id,
            patient_id: dev.id,
            date: '2025-12-02T10:00:00Z',
            duration_minutes: 90,
            notes: 'Intake',
          })
          .expect(201),
      );
      expect(session).toMatchObject({
        duration_minutes: 90,
        ends_at: '2025-12-02T11:30:00.000Z',
        notes: 'Intake',
      });
    });

    it('names both a therapist and a patient that do not exist', async () => {
      const problem = problemOf(
        await t.http
          .post('/api/sessions')
          .send({ therapist_id: 424242, patient_id: 434343, date: '2025-12-01T10:00:00Z' }),
        400,
      );
      expect(problem.errors).toEqual([
        { field: 'therapist_id', message: 'therapist 424242 does not exist' },
        { field: 'patient_id', message: 'patient 434343 does not exist' },
      ]);
    });

    it('lists every missing field', async () => {
      const problem = problemOf(await t.http.post('/api/sessions').send({}), 400);
      expect(fieldsOf(problem)).toEqual(['date', 'patient_id', 'therapist_id']);
    });

    it.each([
      [{ date: '2025-12-01T10:00:00' }, 'date'],
      [{ date: '2025-12-01' }, 'date'],
      [{ date: '2025-02-30T10:00:00Z' }, 'date'],
      [{ date: 1764583200000 }, 'date'],
      [{ duration_minutes: 14 }, 'duration_minutes'],
      [{ duration_minutes: 241 }, 'duration_minutes'],
      [{ duration_minutes: 50.5 }, 'duration_minutes'],
      [{ duration_minutes: null }, 'duration_minutes'],
      [{ notes: 'x'.repeat(2001) }, 'notes'],
      [{ notes: 42 }, 'notes'],
      [{ therapist_id: 'one' }, 'therapist_id'],
      [{ status: 'Completed' }, 'status'],
      [{ extra: true }, 'extra'],
    ])('rejects %o with a 400 naming the field', async (change, field) => {
      const body = { therapist_id: ada.id, patient_id: cleo.id, date: '2025-12-03T10:00:00Z', ...change };
      expect(fieldsOf(problemOf(await t.http.post('/api/sessions').send(body), 400))).toEqual([field]);
    });
  });

  describe('PATCH', () => {
    it('changes only what is sent and bumps the version each time', async () => {
      const id = idAt(4);
      const before = sessionOf(await t.http.get(`/api/sessions/${id}`).expect(200));
      const notes = sessionOf(await t.http.patch(`/api/sessions/${id}`).send({ notes: 'Prep' }).expect(200));
      expect(notes).toMatchObject({
        notes: 'Prep',
        version: before.version + 1,
        date: before.date,
        status: before.status,
      });
      expect(notes.updated_at >= before.updated_at).toBe(true);

      const moved = sessionOf(
        await t.http
          .patch(`/api/sessions/${id}`)
          .send({ date: '2025-11-21T15:00:00Z', duration_minutes: 60 })
          .expect(200),
      );
      expect(moved).toMatchObject({
        date: '2025-11-21T15:00:00.000Z',
        ends_at: '2025-11-21T16:00:00.000Z',
        notes: 'Prep',
        version: before.version + 2,
      });

      const cleared = sessionOf(await t.http.patch(`/api/sessions/${id}`).send({ notes: null }).expect(200));
      expect(cleared.notes).toBeNull();
      expect(sessionOf(await t.http.get(`/api/sessions/${id}`).expect(200))).toEqual(cleared);
    });

    it('sets the status', async () => {
      const updated = sessionOf(
        await t.http
          .patch(`/api/sessions/${idAt(0)}`)
          .send({ status: 'Completed' })
          .expect(200),
      );
      expect(updated.status).toBe('Completed');
    });

    it('answers 404 for an unknown session', async () => {
      problemOf(await t.http.patch('/api/sessions/999999').send({ status: 'Completed' }), 404);
    });

    it.each([
      [{ status: 'Done' }, ['status']],
      [{ status: null }, ['status']],
      [{ date: null }, ['date']],
      [{ date: 'soon' }, ['date']],
      [{ duration_minutes: 0 }, ['duration_minutes']],
      // Nothing the update can change is left once the unknown fields are set aside: both are said.
      [{ therapist_id: 2 }, ['body', 'therapist_id']],
      [{ version: 7, colour: 'red' }, ['body', 'colour', 'version']],
      [{}, ['body']],
    ])('rejects %o', async (body, fields) => {
      const id = idAt(2);
      const before = sessionOf(await t.http.get(`/api/sessions/${id}`).expect(200));
      expect(fieldsOf(problemOf(await t.http.patch(`/api/sessions/${id}`).send(body), 400))).toEqual(fields);
      expect(sessionOf(await t.http.get(`/api/sessions/${id}`).expect(200))).toEqual(before);
    });
  });
});
