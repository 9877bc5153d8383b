import { describe, expect, it } from '@jest/globals';
import type { WorkingHoursService } from '../therapists/working-hours.service.js';
import { AvailabilityService } from './availability.service.js';
import type { SessionRepository } from './session.repository.js';

const at = (iso: string): Date => new Date(iso);

function availability(options: {
  buffer: number;
  hours: { weekday: number; startMinute: number; endMinute: number }[];
  busy: [string, number][];
}) {
  const schedule = {
    therapist: { id: 1, bufferMinutes: options.buffer },
    timeZone: 'UTC',
    intervals: options.hours,
  };
  const workingHours = { get: () => Promise.resolve(schedule) } as unknown as WorkingHoursService;
  const sessions = {
    findActiveOverlapping: () =>
      Promise.resolve(
        options.busy.map(([start, minutes]) => ({
          startsAt: at(start),
          endsAt: new Date(at(start).getTime() + minutes * 60_000),
        })),
      ),
  } as unknown as SessionRepository;
  return new AvailabilityService(workingHours, sessions);
}

describe('AvailabilityService', () => {
  const monday = { weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 };
  const now = at('2031-01-01T00:00:00Z');

  it('offers every 15-minute start that fits the working hours, keeping the buffer around a session', async () => {
    const service = availability({ buffer: 10, hours: [monday], busy: [['2031-01-06T10:00:00Z', 50]] });
    const { slots } = await service.freeSlots(
      1,
      at('2031-01-06T00:00:00Z'),
      at('2031-01-07T00:00:00Z'),
      50,
      now,
    );
    // 09:00–09:50 ends exactly at the buffer's edge before 10:00; 11:00 starts exactly at its edge after 10:50;
    // anything later no longer ends by 12:00.
    expect(slots.map((slot) => slot.start.toISOString().slice(11, 16))).toEqual(['09:00', '11:00']);
  });

  it('offers nothing before now, and nothing that would end after the range', async () => {
    const service = availability({ buffer: 0, hours: [], busy: [] });
    const later = at('2031-01-06T22:50:00Z');
    const { slots } = await service.freeSlots(
      1,
      at('2031-01-06T00:00:00Z'),
      at('2031-01-07T00:00:00Z'),
      60,
      later,
    );
    expect(slots.map((slot) => slot.start.toISOString())).toEqual(['2031-01-06T23:00:00.000Z']);
  });
});
