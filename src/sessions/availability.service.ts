import { Injectable } from '@nestjs/common';
import { freeSlots, reachOf, type TimeSpan } from '../scheduling/schedule-rules.js';
import { WorkingHoursService, type TherapistSchedule } from '../scheduling/working-hours.service.js';
import { SessionRepository } from './session.repository.js';

export interface Availability {
  schedule: TherapistSchedule;
  durationMinutes: number;
  slots: TimeSpan[];
}

/**
 * When a therapist can still be booked: the scheduling rules' free slots (the same rules a booking applies, so
 * an offered slot books) around the sessions that still take place.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly workingHours: WorkingHoursService,
    private readonly sessions: SessionRepository,
  ) {}

  async freeSlots(therapistId: number, from: Date, to: Date, durationMinutes: number): Promise<Availability> {
    const schedule = await this.workingHours.get(therapistId);
    const range = { start: from, end: to };
    const booked = await this.sessions.findActiveOverlapping({
      therapistId,
      ...reachOf([range], schedule.therapist.bufferMinutes),
    });
    return {
      schedule,
      durationMinutes,
      slots: freeSlots(schedule, booked, range, durationMinutes),
    };
  }
}
