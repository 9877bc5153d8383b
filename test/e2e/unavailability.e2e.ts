import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestContext } from '@mikro-orm/core';
import { RowSecurity } from '../../src/access/row-security.js';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import { UnavailabilityService } from '../../src/scheduling/unavailability.service.js';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const at = (iso: string): Date => new Date(iso);
const MAY_2031 = { start: at('2031-05-01T00:00:00Z'), end: at('2031-06-01T00:00:00Z') };

describe('UnavailabilityService (time off, closures, stranded sessions)', () => {
  let t: TestApp;
  let service: UnavailabilityService;
  let reed: Therapist;
  let chen: Therapist;
  const within = <T>(work: () => Promise<T>): Promise<T> => RequestContext.create(t.orm.em, work);

  beforeAll(async () => {
    t = await createTestApp();
    service = t.app.get(UnavailabilityService);
    const em = t.em();
    reed = await createTherapist(em, { name: 'Dr Reed', bufferMinutes: 0 });
    chen = await createTherapist(em, { name: 'Dr Chen', bufferMinutes: 0 });
    em.create(WorkingHours, { therapist: reed, weekday: 1, startMinute: 9 * 60, endMinute: 17 * 60 });
    em.create(TimeOff, {
      therapist: reed,
      startsAt: at('2031-05-05T13:00:00Z'),
      endsAt: at('2031-05-05T17:00:00Z'),
      reason: 'Dentist',
    });
    em.create(Closure, { startsOn: '2031-05-12', endsOn: '2031-05-12', name: 'Bank holiday' });
    await em.flush();
    const patient = await createPatient(em, { name: 'Jordan Lee' });
    const book = (therapist: Therapist, iso: string, status = SessionStatus.Scheduled) =>
      createSession(em, {
        therapist,
        patient: status === SessionStatus.Scheduled ? undefined : patient,
        startsAt: at(iso),
        status,
        statusReason: status === SessionStatus.Scheduled ? null : 'Ill',
      });
    await book(reed, '2031-05-05T10:00:00Z');
    await book(reed, '2031-05-05T14:00:00Z');
    await book(reed, '2031-05-05T18:00:00Z');
    await book(reed, '2031-05-12T10:00:00Z');
    await book(reed, '2031-05-05T16:00:00Z', SessionStatus.Cancelled);
    await book(chen, '2031-05-12T11:00:00Z');
    await book(chen, '2031-05-13T11:00:00Z');
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists each therapist’s time off and the clinic’s closures, as instants in start order', async () => {
    const spans = await within(() => service.unavailableSpans([reed.id, chen.id], MAY_2031));
    expect(spans.get(reed.id)?.map((span) => [span.kind, span.label, span.start.toISOString()])).toEqual([
      ['time_off', 'Dentist', '2031-05-05T13:00:00.000Z'],
      ['closure', 'Bank holiday', '2031-05-12T00:00:00.000Z'],
    ]);
    expect(spans.get(chen.id)?.map((span) => [span.label, span.end.toISOString()])).toEqual([
      ['Bank holiday', '2031-05-13T00:00:00.000Z'],
    ]);
    const outside = await within(() =>
      service.unavailableSpans([reed.id], {
        start: at('2031-05-06T00:00:00Z'),
        end: at('2031-05-11T00:00:00Z'),
      }),
    );
    expect(outside.get(reed.id)).toEqual([]);
  });

  it('finds the Scheduled sessions outside the hours, in time off or on a closed day, with why', async () => {
    const stranded = await within(() => service.strandedSessions({ range: MAY_2031 }));
    expect(
      stranded.map((session) => [session.therapistName, session.startsAt.toISOString(), session.reason]),
    ).toEqual([
      ['Dr Reed', '2031-05-05T14:00:00.000Z', 'the therapist is away (Dentist)'],
      ['Dr Reed', '2031-05-05T18:00:00.000Z', 'it is outside the working hours on Monday: 09:00–17:00 (UTC)'],
      ['Dr Reed', '2031-05-12T10:00:00.000Z', 'the clinic is closed (Bank holiday)'],
      ['Dr Chen', '2031-05-12T11:00:00.000Z', 'the clinic is closed (Bank holiday)'],
    ]);
    const chens = await within(() => service.strandedSessions({ range: MAY_2031, therapistIds: [chen.id] }));
    expect(chens.map((session) => session.patientName)).toHaveLength(1);
  });

  it('row-level security: a therapist’s transaction sees only their own time off', async () => {
    const rows = await t.app
      .get(RowSecurity)
      .within({ userId: 1, name: 'x', role: 'therapist', therapistId: chen.id, tokenId: null }, () =>
        t.orm.em.execute<{ therapist_id: number }[]>('select therapist_id from therapist_time_off'),
      );
    expect(rows).toEqual([]);
    expect(await t.em().count(TimeOff, {})).toBe(1);
  });

  it('refuses overlapping time off and overlapping closures in the database', async () => {
    const em = t.em();
    em.create(TimeOff, {
      therapist: reed.id,
      startsAt: at('2031-05-05T16:00:00Z'),
      endsAt: at('2031-05-05T18:00:00Z'),
      reason: 'Overlap',
    });
    await expect(em.flush()).rejects.toThrow(/therapist_time_off_no_overlap/);
    const other = t.em();
    other.create(Closure, { startsOn: '2031-05-10', endsOn: '2031-05-12', name: 'Long weekend' });
    await expect(other.flush()).rejects.toThrow(/clinic_closure_no_overlap/);
  });
});
