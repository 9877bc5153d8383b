import { Injectable } from '@nestjs/common';
import { freeSlots, reachOf, type TimeSpan } from '../scheduling/schedule-rules.js';
import { UnavailabilityService } from '../scheduling/unavailability.service.js';
import { WorkingHoursService, type TherapistSchedule } from '../scheduling/working-hours.service.js';
import { SessionRepository } from './session.repository.js';

export interface Availability {
  schedule: TherapistSchedule;
  durationMinutes: number;
  slots: TimeSpan[];
}

const overlap = (a: TimeSpan, b: TimeSpan): boolean => a.start < b.end && b.start < a.end;

/**
 * When a therapist can still be booked: the scheduling rules' free slots (the same rules a booking applies, so
 * an offered slot books) around the sessions that still take place, less their time off and the closures.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly workingHours: WorkingHoursService,
    private readonly sessions: SessionRepository,
    private readonly unavailability: UnavailabilityService,
  ) {}

  /** `excludeId`: a session being moved, whose current time does not stand in its own way. */
  async freeSlots(
    therapistId: number,
    from: Date,
    to: Date,
    durationMinutes: number,
    excludeId?: number,
  ): Promise<Availability> {
    const schedule = await this.workingHours.get(therapistId);
    const range = { start: from, end: to };
    const [booked, unavailable] = await Promise.all([
      this.sessions.findActiveOverlapping({
        therapistId,
        ...reachOf([range], schedule.therapist.bufferMinutes),
        excludeId,
      }),
      this.unavailability.unavailableSpans([therapistId], range),
    ]);
    const away = unavailable.get(therapistId) ?? [];
    return {
      schedule,
      durationMinutes,
      slots: freeSlots(schedule, booked, range, durationMinutes).filter(
        (slot) => !away.some((span) => overlap(span, slot)),
      ),
    };
  }
}
