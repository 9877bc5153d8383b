import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import supertest from 'supertest';
import { createTestUser, csrfTokenIn, signInAs, TEST_PASSWORD } from '../utils/sign-in.js';
import { MovableClock } from '../utils/clock.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface AuditItem {
  id: number;
  occurred_at: string;
  actor: { user_id: number | null; name: string | null; token_id: number | null } | null;
  action: string;
  record_type: string | null;
  record_id: number | null;
  patient_id: number | null;
  outcome: string;
  detail: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}
interface AuditList {
  data: AuditItem[];
  next_cursor: string | null;
  next: string | null;
}

const FUTURE = '2031-03-03T10:00:00Z';

describe('audit trail', () => {
  let t: TestApp;
  const clock = new MovableClock();
  const s = schedulingHelpers(() => t);

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_ATTEMPTS_PER_MINUTE: '3' }, { clock });
  });

  afterAll(async () => {
    await t.close();
  });

  const bearer = (): { Authorization: string } => ({ Authorization: `Bearer ${t.adminToken}` });
  const events = async (query: Record<string, string | number>): Promise<AuditItem[]> => {
    const response = await t.http
      .get('/api/audit-events')
      .query({ page_size: 200, ...query })
      .expect(200);
    return (response.body as AuditList).data;
  };
  const latest = async (action: string, query: Record<string, string | number> = {}): Promise<AuditItem> => {
    const [event] = await events({ action, ...query });
    if (!event) throw new Error(`no ${action} event`);
    return event;
  };

  it('refuses every UPDATE, DELETE and TRUNCATE of the trail, and the therapists’ role has no such privilege', async () => {
    await t.anonymous.get('/api/sessions').expect(401);
    await t.http.get('/api/patients').expect(200);
    const em = t.em();
    for (const statement of [
      'update audit_event set action = action',
      'delete from audit_event',
      'truncate audit_event',
    ]) {
      await expect(em.execute(statement)).rejects.toThrow(/append-only/);
    }
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('set local role therapy_app');
      await expect(client.query('update audit_event set action = action')).rejects.toThrow(
        /permission denied/,
      );
      await client.query('rollback');
      await client.query('begin');
      await client.query('set local role therapy_app');
      await expect(client.query('delete from audit_event')).rejects.toThrow(/permission denied/);
      await client.query('rollback');
    } finally {
      await client.end();
    }
    const [row] = await em.execute<{ count: string }[]>('select count(*) from audit_event');
    expect(Number(row?.count)).toBeGreaterThan(0);
  });

  it('records sign-ins with the reason of each failure, sign-outs and expired sessions', async () => {
    const user = await createTestUser(t.em(), 'receptionist');
    let client = 0;
    // Each attempt from an address of its own (the app trusts a proxy on loopback): only the account's limit counts.
    const attempt = async (email: string, password: string): Promise<void> => {
      const agent = supertest.agent(t.app.getHttpServer());
      const form = await agent.get('/login');
      await agent
        .post('/login')
        .set('X-Forwarded-For', `198.51.100.${++client}`)
        .type('form')
        .send({ email, password, _csrf: csrfTokenIn(form.text) });
    };
    await attempt('nobody@staff.example', 'whatever it is');
    await attempt(user.email, 'not the password at all');
    const failures = await events({ action: 'auth.sign_in', outcome: 'failure' });
    expect(failures.map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        { reason: 'unknown_account', email: 'nobody@staff.example' },
        { reason: 'wrong_password', email: user.email },
      ]),
    );
    expect(failures.find((e) => e.detail.reason === 'wrong_password')?.record_id).toBe(user.id);
    await attempt(user.email, 'wrong again, second time');
    await attempt(user.email, 'wrong again, third time');
    await attempt(user.email, TEST_PASSWORD);
    expect((await latest('auth.sign_in', { outcome: 'failure' })).detail).toEqual({
      reason: 'rate_limited',
      email: user.email,
    });

    const disabled = await createTestUser(t.em(), 'receptionist');
    await t.http.patch(`/api/users/${disabled.id}`).send({ disabled: true });
    await attempt(disabled.email, TEST_PASSWORD);
    expect((await latest('auth.sign_in', { outcome: 'failure' })).detail.reason).toBe('disabled');

    const other = await createTestUser(t.em(), 'therapist', { therapistId: (await s.therapist()).id });
    const agent = await signInAs(t.app.getHttpServer(), other.email);
    const signIn = await latest('auth.sign_in', { user_id: other.id });
    expect(signIn).toMatchObject({ outcome: 'success', record_type: 'user', record_id: other.id });
    expect(signIn.detail).toEqual({ method: 'password' });
    expect(signIn.ip).toMatch(/127\.0\.0\.1/);
    expect(signIn.request_id).toEqual(expect.any(String));
    await agent.post('/logout').type('form').send({}).expect(303);
    expect((await latest('auth.sign_out', { user_id: other.id })).record_id).toBe(other.id);

    const idle = await signInAs(t.app.getHttpServer(), other.email);
    clock.advance(31 * 60_000);
    try {
      await idle.get('/api/sessions').expect(401);
    } finally {
      clock.reset();
    }
    expect((await latest('auth.session_expired', { user_id: other.id })).detail).toEqual({ reason: 'idle' });
  });

  it('records each change of a record by the database, with who, the fields (never the values) and the client', async () => {
    const patient = await t.anonymous
      .post('/api/patients')
      .set(bearer())
      .set('User-Agent', 'integration-test/1.0')
      .set('X-Request-Id', 'req-audit-create-1')
      .send({ name: 'Audit Patient', email: 'audit.patient@example.com' })
      .expect(201);
    const patientId = (patient.body as { id: number }).id;
    const created = await latest('patient.create', { patient_id: patientId });
    expect(created).toMatchObject({
      record_type: 'patient',
      record_id: patientId,
      outcome: 'success',
      user_agent: 'integration-test/1.0',
      request_id: 'req-audit-create-1',
    });
    expect(created.actor).toMatchObject({ token_id: expect.any(Number), user_id: expect.any(Number) });

    await t.http.patch(`/api/patients/${patientId}`).send({ phone: '+44 20 7946 0000' }).expect(200);
    expect((await latest('patient.update', { patient_id: patientId })).detail).toEqual({ fields: ['phone'] });

    const therapist = await s.therapist();
    const sessionId = await s.booked({ therapist: therapist.id, patient: patientId, date: FUTURE });
    const booked = await latest('session.create', { patient_id: patientId });
    expect(booked.record_id).toBe(sessionId);
    const note = 'Discussed a very private matter';
    await t.http.patch(`/api/sessions/${sessionId}`).send({ notes: note }).expect(200);
    expect((await latest('session.update', { patient_id: patientId })).detail).toEqual({ fields: ['notes'] });
    await t.http.post(`/api/sessions/${sessionId}/cancel`).send({ reason: 'Patient is unwell' });
    const cancelled = await latest('session.cancel', { patient_id: patientId });
    expect(cancelled.detail).toMatchObject({ from: 'Scheduled', to: expect.stringMatching(/Cancelled/) });

    const everything = JSON.stringify(await events({ patient_id: patientId }));
    expect(everything).not.toContain(note);
    expect(everything).not.toContain('+44 20 7946 0000');
  });

  it('records a therapist’s change too, made under row-level security as the therapists’ role', async () => {
    const therapist = await s.therapist();
    const patient = await s.patient();
    const sessionId = await s.booked({
      therapist: therapist.id,
      patient: patient.id,
      date: '2031-03-05T10:00:00Z',
    });
    const user = await createTestUser(t.em(), 'therapist', { therapistId: therapist.id });
    const own = await signInAs(t.app.getHttpServer(), user.email);
    await own.patch(`/api/sessions/${sessionId}`).send({ notes: 'Seen by the therapist' }).expect(200);
    const change = await latest('session.update', { user_id: user.id });
    expect(change).toMatchObject({
      record_id: sessionId,
      patient_id: patient.id,
      detail: { fields: ['notes'] },
    });
    expect(change.actor).toMatchObject({ user_id: user.id, token_id: null });
  });

  it('records a status change from → to, a therapist and their working hours, and an account disabled', async () => {
    const therapist = await t.http
      .post('/api/therapists')
      .send({ name: 'Dr Audit', email: 'dr.audit@clinic.example' })
      .expect(201);
    const therapistId = (therapist.body as { id: number }).id;
    expect((await latest('therapist.create')).record_id).toBe(therapistId);
    await t.http
      .put(`/api/therapists/${therapistId}/working-hours`)
      .send({ intervals: [{ weekday: 1, start: '09:00', end: '17:00' }] })
      .expect(200);
    expect((await latest('working_hours.create')).outcome).toBe('success');

    const patient = await s.patient();
    const past = await s.booked({
      therapist: therapistId,
      patient: patient.id,
      date: '2025-11-17T10:00:00Z',
    });
    await t.http.patch(`/api/sessions/${past}`).send({ status: 'Completed' }).expect(200);
    expect((await latest('session.status_change', { patient_id: patient.id })).detail).toEqual({
      fields: ['status'],
      from: 'Scheduled',
      to: 'Completed',
    });

    const user = await createTestUser(t.em(), 'receptionist');
    await t.http.patch(`/api/users/${user.id}`).send({ disabled: true }).expect(200);
    const disabled = await latest('user.update');
    expect(disabled).toMatchObject({ record_id: user.id, detail: { fields: ['disabled'] } });
  });

  it('records reads of patients and sessions (API and pages), once per request, and lists with their filters', async () => {
    const therapist = await s.therapist();
    const patient = await s.patient();
    const sessionId = await s.booked({
      therapist: therapist.id,
      patient: patient.id,
      date: '2031-03-04T10:00:00Z',
    });

    await t.http.get(`/api/patients/${patient.id}`).expect(200);
    await t.http.get(`/patients/${patient.id}`).expect(200);
    await t.http.get(`/api/sessions/${sessionId}`).expect(200);
    await t.http.get(`/sessions/${sessionId}`).expect(200);
    await t.http.get('/api/sessions').query({ therapist_id: therapist.id }).expect(200);
    await t.http.get('/calendar').expect(200);

    const reads = await events({ patient_id: patient.id });
    const count = (action: string): number => reads.filter((e) => e.action === action).length;
    expect(count('patient.read')).toBe(2);
    expect(count('session.read')).toBe(2);
    const list = await latest('session.list', { user_id: reads[0]?.actor?.user_id ?? 0 });
    expect(list.detail).toMatchObject({ view: 'calendar' });
    const filtered = (await events({ action: 'session.list' })).find(
      (e) => e.detail.therapist_id === therapist.id,
    );
    expect(filtered?.detail).toMatchObject({ page: 1, shown: 1 });
  });

  it('records user administration, token creation and revocation, and refusals for the role', async () => {
    const created = await t.http
      .post('/api/users')
      .send({
        email: 'audited@staff.example',
        name: 'Audited',
        role: 'receptionist',
        password: TEST_PASSWORD,
      })
      .expect(201);
    const userId = (created.body as { id: number }).id;
    expect((await latest('user.create')).record_id).toBe(userId);
    const token = await t.http.post(`/api/users/${userId}/tokens`).send({ name: 'ci' }).expect(201);
    const { id: tokenId, token: secret } = token.body as { id: number; token: string };
    expect((await latest('token.create')).record_id).toBe(tokenId);
    await t.http.delete(`/api/users/${userId}/tokens/${tokenId}`).expect(204);
    expect((await latest('token.revoke')).record_id).toBe(tokenId);

    const receptionist = await t.signIn('receptionist');
    await receptionist.get('/api/audit-events').expect(403);
    const denied = await latest('access.denied');
    expect(denied).toMatchObject({
      outcome: 'denied',
      detail: { method: 'GET', route: '/api/audit-events' },
    });

    const trail = JSON.stringify(await events({}));
    expect(trail).not.toContain(secret);
    expect(trail).not.toContain(TEST_PASSWORD);
    expect(trail).not.toMatch(/argon2|password_hash"\s*:/);
  });

  it('pages newest first by cursor, filters, refuses bad filters and exports CSV', async () => {
    for (let i = 0; i < 6; i++) await t.http.get('/api/patients').expect(200);
    const first = await t.http.get('/api/audit-events').query({ page_size: 3 }).expect(200);
    const page1 = first.body as AuditList;
    expect(page1.data).toHaveLength(3);
    expect(page1.next).toBe(`/api/audit-events?cursor=${page1.next_cursor}`);
    const second = (
      await t.http
        .get(page1.next ?? '')
        .query({ page_size: 3 })
        .expect(200)
    ).body as AuditList;
    const ids = [...page1.data, ...second.data].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(6);

    const bad = await t.http.get('/api/audit-events').query({ action: 'drop.table', to: 'soon' }).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      'action',
      'to',
    ]);

    const csv = await t.http
      .get('/api/audit-events')
      .query({ action: 'patient.list' })
      .set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,occurred_at,actor_user_id,actor_name,actor_token_id,action,record_type,record_id,patient_id,outcome,detail,ip,user_agent,request_id',
    );
    expect(lines.length).toBeGreaterThanOrEqual(7);
    expect(lines.slice(1).filter((line) => !line.includes(',patient.list,'))).toEqual([]);
    expect((await latest('audit.export')).detail).toEqual({ action: 'patient.list' });
  });

  it('shows the trail to admins at /admin/audit, and who accessed a patient’s record on its page', async () => {
    const patient = await s.patient({ name: 'Accounting Patient' });
    const receptionist = await t.signIn('receptionist');
    await receptionist.get(`/patients/${patient.id}`).expect(200);
    const page = await t.http.get(`/patients/${patient.id}`).expect(200);
    expect(page.text).toContain('Who accessed this record');
    expect(page.text).toContain('Test receptionist');
    expect(page.text).toContain(`/admin/audit?patient_id&#x3D;${patient.id}`);
    const asReceptionist = await receptionist.get(`/patients/${patient.id}`).expect(200);
    expect(asReceptionist.text).not.toContain('Who accessed this record');

    const audit = await t.http.get('/admin/audit').query({ patient_id: patient.id }).expect(200);
    expect(audit.text).toContain('Patient record viewed');
    expect(audit.text).toContain('Accounting Patient');
    const fragment = await t.http.get('/admin/audit').set('HX-Request', 'true').expect(200);
    expect(fragment.text).not.toContain('<html');
    await t.http.get('/admin/audit').query({ from: 'yesterday' }).expect(400);
    const exported = await t.http
      .get('/admin/audit/export.csv')
      .query({ patient_id: patient.id })
      .expect(200);
    expect(exported.headers['content-disposition']).toContain('audit-events.csv');
    await receptionist.get('/admin/audit').expect(403);
  });
});
