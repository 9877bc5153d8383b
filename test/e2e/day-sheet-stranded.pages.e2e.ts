import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { htmlOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A Monday and Tuesday far ahead (the clinic's zone is UTC here), so the sessions are yet to start. */
const MONDAY = '2031-06-02';
const TUESDAY = '2031-06-03';
const at = (date: string, time: string): Date => new Date(`${date}T${time}:00Z`);

/**
 * The day sheet flags each Scheduled session its therapist's hours, time off or a closure leave out, in words (not
 * colour alone), and shows the time off and the closure themselves.
 */
describe('stranded sessions on the day sheet', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'UTC' });
    const em = t.em();
    const therapist = await createTherapist(em, { name: 'Dr Iris Bell' });
    for (const weekday of [1, 2]) {
      em.create(WorkingHours, { therapist, weekday, startMinute: 9 * 60, endMinute: 13 * 60 });
    }
    em.create(TimeOff, {
      therapist,
      startsAt: at(MONDAY, '11:00'),
      endsAt: at(MONDAY, '13:00'),
      reason: 'Training',
    });
    em.create(Closure, { startsOn: TUESDAY, endsOn: TUESDAY, name: 'Whit Tuesday' });
    await em.flush();
    const patient = await createPatient(em, { name: 'Noor Aziz' });
    const book = async (name: string, date: string, time: string): Promise<void> => {
      ids[name] = (await createSession(em, { therapist, patient, startsAt: at(date, time) })).id;
    };
    await book('inside', MONDAY, '09:00');
    await book('inTimeOff', MONDAY, '11:00');
    await book('outsideHours', MONDAY, '14:00');
    await book('onClosure', TUESDAY, '09:00');
  });
  afterAll(() => t.close());

  const day = async (date: string): Promise<Html> =>
    htmlOf(await t.http.get(`/day?date=${date}`).expect(200));
  const badgeOf = ($: Html, id: number | undefined): string =>
    $(`#session-${id} .day-badge-stranded`).text().replace(/\s+/g, ' ').trim();

  it('badges each stranded session with "Stranded" and why, and leaves the others alone', async () => {
    const $ = await day(MONDAY);
    expect(badgeOf($, ids.inside)).toBe('');
    expect(badgeOf($, ids.inTimeOff)).toBe('⚠ Stranded: the therapist is away (Training)');
    expect(badgeOf($, ids.outsideHours)).toMatch(/^⚠ Stranded: .+/);
    expect($(`#session-${ids.inTimeOff}`).hasClass('is-stranded')).toBe(true);
    // The phone's list says it as well.
    expect($(`#agenda-session-${ids.inTimeOff} .day-badge-stranded`).text()).toContain('Stranded');
    expect($('.day-stranded-notice').text()).toContain('2');
    expect($('.day-away-label').text()).toContain('Training');
    // The phone's list names it in words too, with its hours.
    expect($('.day-agenda-away').text()).toBe('Away 11:00–13:00: Training');
  });

  it('on a closed day flags the session booked on it and names the closure', async () => {
    const $ = await day(TUESDAY);
    expect(badgeOf($, ids.onClosure)).toBe('⚠ Stranded: the clinic is closed (Whit Tuesday)');
    expect($('.day-away.is-closure .day-away-label').text()).toContain('Whit Tuesday');
    expect($('.day-agenda-away.is-closure').text()).toBe('Closed: Whit Tuesday');
  });
});
