import { describe, expect, it } from '@jest/globals';
import { formatMinute, parseMinute, workingHoursViolation } from './working-hours.js';

const mondayNineToFive = [{ weekday: 1, startMinute: 9 * 60, endMinute: 17 * 60 }];
const at = (iso: string): Date => new Date(iso);

describe('workingHoursViolation', () => {
  it('accepts any time when no working hours are set', () => {
    expect(
      workingHoursViolation([], at('2025-11-16T03:00:00Z'), at('2025-11-16T04:00:00Z'), 'UTC'),
    ).toBeUndefined();
  });

  it('accepts a session touching both edges of an interval', () => {
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-11-17T09:00:00Z'), at('2025-11-17T17:00:00Z'), 'UTC'),
    ).toBeUndefined();
  });

  it('refuses a session one minute over either edge, naming the hours', () => {
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-11-17T08:59:00Z'), at('2025-11-17T09:49:00Z'), 'UTC'),
    ).toBe('it is outside the working hours on Monday: 09:00–17:00 (UTC)');
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-11-17T16:11:00Z'), at('2025-11-17T17:01:00Z'), 'UTC'),
    ).toBeDefined();
  });

  it('refuses a day without hours', () => {
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-11-18T10:00:00Z'), at('2025-11-18T10:50:00Z'), 'UTC'),
    ).toBe('there are no working hours on Tuesday (UTC)');
  });

  it('reads the hours in the therapist’s time zone, across a daylight-saving change', () => {
    // 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST).
    const zone = 'Europe/Berlin';
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-03-24T08:00:00Z'), at('2025-03-24T08:50:00Z'), zone),
    ).toBeUndefined();
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-03-31T07:00:00Z'), at('2025-03-31T07:50:00Z'), zone),
    ).toBeUndefined();
    expect(
      workingHoursViolation(mondayNineToFive, at('2025-03-31T06:30:00Z'), at('2025-03-31T07:20:00Z'), zone),
    ).toBeDefined();
  });

  it('treats back-to-back intervals as one stretch of time', () => {
    const split = [
      { weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 },
      { weekday: 1, startMinute: 12 * 60, endMinute: 17 * 60 },
    ];
    expect(
      workingHoursViolation(split, at('2025-11-17T11:40:00Z'), at('2025-11-17T12:30:00Z'), 'UTC'),
    ).toBeUndefined();
  });

  it('allows an interval up to midnight', () => {
    const lateShift = [{ weekday: 1, startMinute: 20 * 60, endMinute: 1440 }];
    expect(
      workingHoursViolation(lateShift, at('2025-11-17T23:10:00Z'), at('2025-11-18T00:00:00Z'), 'UTC'),
    ).toBeUndefined();
  });
});

describe('workingHoursViolation across midnight', () => {
  it('lets a session run from one day into the next when the hours run on without a gap', () => {
    const allDay = [
      { weekday: 1, startMinute: 0, endMinute: 1440 },
      { weekday: 2, startMinute: 0, endMinute: 1440 },
    ];
    expect(
      workingHoursViolation(allDay, at('2027-02-01T23:30:00Z'), at('2027-02-02T00:30:00Z'), 'UTC'),
    ).toBeUndefined();
    const nightShift = [
      { weekday: 1, startMinute: 22 * 60, endMinute: 1440 },
      { weekday: 2, startMinute: 0, endMinute: 2 * 60 },
    ];
    // Monday 23:30–00:30 in New York (UTC−5).
    const zone = 'America/New_York';
    expect(
      workingHoursViolation(nightShift, at('2027-02-02T04:30:00Z'), at('2027-02-02T05:30:00Z'), zone),
    ).toBeUndefined();
    // Tuesday 01:30–02:30 runs past the end of the shift.
    expect(
      workingHoursViolation(nightShift, at('2027-02-02T06:30:00Z'), at('2027-02-02T07:30:00Z'), zone),
    ).toBeDefined();
  });

  it('refuses a session across midnight when the next day has no hours from 00:00', () => {
    const mondayLate = [{ weekday: 1, startMinute: 22 * 60, endMinute: 1440 }];
    expect(
      workingHoursViolation(mondayLate, at('2027-02-01T23:30:00Z'), at('2027-02-02T00:20:00Z'), 'UTC'),
    ).toMatch(/Monday: 22:00–24:00/);
  });

  it('reads 24:00 as the next midnight on the day the clocks go back (a 25-hour day)', () => {
    // Sunday 26 October 2025 in London: 00:00 BST (25 Oct 23:00Z) to 24:00 GMT (27 Oct 00:00Z).
    const sunday = [{ weekday: 7, startMinute: 0, endMinute: 1440 }];
    const zone = 'Europe/London';
    expect(
      workingHoursViolation(sunday, at('2025-10-26T22:30:00Z'), at('2025-10-26T23:59:00Z'), zone),
    ).toBeUndefined();
    expect(
      workingHoursViolation(sunday, at('2025-10-25T22:30:00Z'), at('2025-10-25T23:20:00Z'), zone),
    ).toBeDefined();
  });
});

describe('parseMinute / formatMinute', () => {
  it('round-trips HH:MM within a day', () => {
    expect(parseMinute('09:30')).toBe(570);
    expect(parseMinute('24:00')).toBe(1440);
    expect(parseMinute('24:30')).toBeUndefined();
    expect(parseMinute('9:30')).toBeUndefined();
    expect(formatMinute(570)).toBe('09:30');
  });
});
