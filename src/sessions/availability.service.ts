import { Injectable } from '@nestjs/common';
import { fitsWorkingSpans, workingSpans } from '../therapists/working-hours.js';
import { WorkingHoursService, type TherapistSchedule } from '../therapists/working-hours.service.js';
import { SessionRepository } from './session.repository.js';

/** Free slots start on this grid (minutes past the hour: :00, :15, :30, :45). */
export const SLOT_STEP_MINUTES = 15;
const MINUTE = 60_000;

export interface FreeSlot {
  start: Date;
  end: Date;
}

export interface Availability {
  schedule: TherapistSchedule;
  durationMinutes: number;
  slots: FreeSlot[];
}

/**
 * When a therapist can still be booked: every start on the 15-minute grid, from now on, where a session of the
 * given length lies within the working hours (any time if none are set) and keeps the buffer to every session
 * that still takes place. The same rules the booking applies, so an offered slot books.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly workingHours: WorkingHoursService,
    private readonly sessions: SessionRepository,
  ) {}

  async freeSlots(
    therapistId: number,
    from: Date,
    to: Date,
    durationMinutes: number,
    now = new Date(),
  ): Promise<Availability> {
    const schedule = await this.workingHours.get(therapistId);
    const buffer = schedule.therapist.bufferMinutes * MINUTE;
    const duration = durationMinutes * MINUTE;
    const busy = await this.sessions.findActiveOverlapping({
      therapistId,
      start: new Date(from.getTime() - buffer),
      end: new Date(to.getTime() + buffer),
    });
    const step = SLOT_STEP_MINUTES * MINUTE;
    const earliest = Math.max(from.getTime(), now.getTime() + 1);
    // The same working time the booking checks, worked out once for the whole range rather than per slot.
    const working =
      schedule.intervals.length > 0
        ? workingSpans(schedule.intervals, from, to, schedule.timeZone)
        : undefined;
    const slots: FreeSlot[] = [];
    for (let start = Math.ceil(earliest / step) * step; start + duration <= to.getTime(); start += step) {
      const end = start + duration;
      const clash = busy.some(
        (session) => start < session.endsAt.getTime() + buffer && session.startsAt.getTime() < end + buffer,
      );
      if (clash) continue;
      if (working && !fitsWorkingSpans(working, start, end)) continue;
      slots.push({ start: new Date(start), end: new Date(end) });
    }
    return { schedule, durationMinutes, slots };
  }
}
