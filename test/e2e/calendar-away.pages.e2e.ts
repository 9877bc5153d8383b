import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createTherapist } from '../utils/factories.js';
import { htmlOf, textsOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A week far ahead, Monday 1 December 2031 (the clinic's zone is UTC here). */
const WEEK = '2031-12-01';

/** The week calendar says which days the clinic is closed and who is away, and books nothing on a closed day. */
describe('closures and time off on the week calendar', () => {
  let t: TestApp;
  let quinn: Therapist;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'UTC' });
    const em = t.em();
    quinn = await createTherapist(em, { name: 'Dr Quinn' });
    em.create(Closure, { startsOn: '2031-12-03', endsOn: '2031-12-03', name: 'Staff day' });
    em.create(TimeOff, {
      therapist: quinn,
      startsAt: new Date('2031-12-04T00:00:00Z'),
      endsAt: new Date('2031-12-06T00:00:00Z'),
      reason: 'Conference',
    });
    em.create(TimeOff, {
      therapist: quinn,
      startsAt: new Date('2031-12-01T14:00:00Z'),
      endsAt: new Date('2031-12-01T17:00:00Z'),
      reason: 'Dentist',
    });
    await em.flush();
  });
  afterAll(() => t.close());

  const week = async (query: string): Promise<Html> =>
    htmlOf(await t.http.get(`/calendar?week=${WEEK}${query}`).expect(200));
  const notesOn = ($: Html, column: number): string[] =>
    textsOf($, `.calendar-day-head.day-${column} .calendar-day-note`);

  it("one therapist's week names the closure and their time off, with the hours of a part day", async () => {
    const $ = await week(`&therapist_id=${quinn.id}`);
    expect(notesOn($, 1)).toEqual(['Away 14:00–17:00: Dentist']);
    expect(notesOn($, 2)).toEqual([]);
    expect(notesOn($, 3)).toEqual(['Closed: Staff day']);
    expect($('.calendar-day-head.day-3 .calendar-day-note').hasClass('is-closure')).toBe(true);
    expect(notesOn($, 4)).toEqual(['Away: Conference']);
    expect(notesOn($, 5)).toEqual(['Away: Conference']);
  });

  it("everyone's week names who is away, and offers no booking on the closed day", async () => {
    const $ = await week('');
    expect(notesOn($, 4)).toEqual(['Dr Quinn away: Conference']);
    expect(notesOn($, 3)).toEqual(['Closed: Staff day']);
    expect($('a.calendar-slot.day-3').length).toBe(0);
    expect($('.calendar-slot.day-3').first().attr('class')).toContain('is-unavailable');
    expect($('a.calendar-slot.day-2').length).toBeGreaterThan(0);
  });
});
