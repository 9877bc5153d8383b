import { describe, expect, it } from '@jest/globals';
import { Temporal } from 'temporal-polyfill';
import { ClinicClock } from '../common/time/clinic-time.js';
import type { UnavailableSpan } from '../scheduling/unavailability.js';
import { notesOfWeek } from './calendar-away.js';

const clock = new ClinicClock('Europe/Berlin');
const monday = Temporal.PlainDate.from('2031-03-24');
const span = (kind: UnavailableSpan['kind'], start: string, end: string, label: string): UnavailableSpan => ({
  kind,
  id: 1,
  label,
  start: new Date(start),
  end: new Date(end),
});

describe('notesOfWeek', () => {
  const closure = span('closure', '2031-03-25T23:00:00Z', '2031-03-26T23:00:00Z', 'Staff day');
  const leave = span('time_off', '2031-03-27T13:00:00Z', '2031-03-29T23:00:00Z', 'Conference');
  const away = {
    closures: [closure],
    timeOff: new Map([[7, [closure, leave]]]),
    names: new Map([[7, 'Dr Quinn']]),
  };

  it('names the closure on its day, and time off with its hours on a part day, whole days without', () => {
    const notes = notesOfWeek(monday, away, clock, true);
    expect(notes.map((day) => day.map((note) => note.text))).toEqual([
      [],
      [],
      ['Closed: Staff day'],
      ['Away from 14:00: Conference'],
      ['Away: Conference'],
      ['Away: Conference'],
      [],
    ]);
    expect(notes[2]?.[0]?.closure).toBe(true);
  });

  it("names the therapist in everyone's week, and counts a closure once", () => {
    const notes = notesOfWeek(monday, away, clock, false);
    expect(notes[4]?.map((note) => note.text)).toEqual(['Dr Quinn away: Conference']);
    expect(notes[2]?.map((note) => note.text)).toEqual(['Closed: Staff day']);
  });

  it('says "until" for time off that ends during the day it began before', () => {
    const overnight = span('time_off', '2031-03-23T20:00:00Z', '2031-03-24T11:00:00Z', 'Night shift');
    const notes = notesOfWeek(monday, { ...away, timeOff: new Map([[7, [overnight]]]) }, clock, true);
    expect(notes[0]?.map((note) => note.text)).toEqual(['Away until 12:00: Night shift']);
  });
});
