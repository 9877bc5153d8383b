import { describe, expect, it } from '@jest/globals';
import type { Therapist } from '../therapists/therapist.entity.js';
import type { WorkingHours } from './working-hours.entity.js';
import type { TherapistSchedule } from './working-hours.service.js';
import { freeSlots, scheduleProblem, type BookedTime } from './schedule-rules.js';

const at = (iso: string): Date => new Date(iso);
const monday = { weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 };
const now = at('2031-01-01T00:00:00Z').getTime();

function schedule(buffer: number, hours: Omit<WorkingHours, 'id' | 'therapist'>[]): TherapistSchedule {
  return {
    therapist: { id: 1, name: 'Dr Reed', bufferMinutes: buffer } as Therapist,
    timeZone: 'UTC',
    intervals: hours as WorkingHours[],
  };
}

const booked = (id: number, start: string, minutes: number): BookedTime => ({
  id,
  startsAt: at(start),
  endsAt: new Date(at(start).getTime() + minutes * 60_000),
});

const span = (start: string, minutes: number) => ({
  start: at(start),
  end: new Date(at(start).getTime() + minutes * 60_000),
});

describe('freeSlots', () => {
  it('offers every 15-minute start that fits the working hours, keeping the buffer around a session', () => {
    const slots = freeSlots(
      schedule(10, [monday]),
      [booked(1, '2031-01-06T10:00:00Z', 50)],
      { start: at('2031-01-06T00:00:00Z'), end: at('2031-01-07T00:00:00Z') },
      50,
      now,
    );
    // 09:00–09:50 ends exactly at the buffer's edge before 10:00; 11:00 starts exactly at its edge after 10:50;
    // anything later no longer ends by 12:00.
    expect(slots.map((slot) => slot.start.toISOString().slice(11, 16))).toEqual(['09:00', '11:00']);
  });

  it('offers nothing before now, and nothing that would end after the range', () => {
    const slots = freeSlots(
      schedule(0, []),
      [],
      { start: at('2031-01-06T00:00:00Z'), end: at('2031-01-07T00:00:00Z') },
      60,
      at('2031-01-06T22:50:00Z').getTime(),
    );
    expect(slots.map((slot) => slot.start.toISOString())).toEqual(['2031-01-06T23:00:00.000Z']);
  });
});

describe('scheduleProblem', () => {
  const neighbour = booked(7, '2031-01-06T10:00:00Z', 50);

  it('refuses a start inside the buffer before or after a session, naming it', () => {
    for (const candidate of [span('2031-01-06T09:05:00Z', 50), span('2031-01-06T10:55:00Z', 30)]) {
      const problem = scheduleProblem(schedule(10, [monday]), candidate, [neighbour], now);
      expect(problem?.problemType).toBe('within-buffer');
      expect(problem?.extensions).toEqual({
        conflicting_session: { id: 7, date: '2031-01-06T10:00:00.000Z', ends_at: '2031-01-06T10:50:00.000Z' },
      });
    }
  });

  it('leaves an overlap to the database, and accepts a start exactly at the edge of the buffer', () => {
    expect(scheduleProblem(schedule(10, [monday]), span('2031-01-06T10:20:00Z', 50), [neighbour], now)).toBe(
      undefined,
    );
    expect(scheduleProblem(schedule(10, [monday]), span('2031-01-06T11:00:00Z', 50), [neighbour], now)).toBe(
      undefined,
    );
  });

  it('refuses a time outside the working hours until the session starts, and checks nothing once it has ended', () => {
    const evening = span('2031-01-06T18:00:00Z', 50);
    expect(scheduleProblem(schedule(0, [monday]), evening, [], now)?.problemType).toBe(
      'outside-working-hours',
    );
    const underWay = at('2031-01-06T18:10:00Z').getTime();
    expect(scheduleProblem(schedule(0, [monday]), evening, [], underWay)).toBe(undefined);
    const ended = at('2031-01-06T19:00:00Z').getTime();
    expect(
      scheduleProblem(schedule(10, [monday]), evening, [booked(8, '2031-01-06T19:00:00Z', 50)], ended),
    ).toBe(undefined);
  });
});
