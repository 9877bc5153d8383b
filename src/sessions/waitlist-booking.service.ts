import { Injectable } from '@nestjs/common';
import { validationProblem } from '../common/problems/problem.exception.js';
import type { BookWaitlistEntryDto } from '../waitlist/dto/waitlist.dto.js';
import { WaitlistService } from '../waitlist/waitlist.service.js';
import { SessionBookingService } from './session-booking.service.js';
import type { SessionWithPeople } from './session.repository.js';

/**
 * Books a waiting patient into a slot and closes their entry with the session, in the booking's one transaction:
 * either both happen or neither (a refused booking leaves the entry waiting). The slot need not suit the entry's
 * preferences; the desk may agree another time with the patient. Every booking rule applies as usual.
 */
@Injectable()
export class WaitlistBookingService {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly booking: SessionBookingService,
  ) {}

  async book(entryId: number, input: BookWaitlistEntryDto): Promise<SessionWithPeople> {
    const waiting = await this.waitlist.getOpen(entryId);
    const therapistId = input.therapist_id ?? waiting.therapist?.id;
    if (therapistId === undefined) {
      throw validationProblem([
        { field: 'therapist_id', message: 'therapist_id is required: the entry names no therapist' },
      ]);
    }
    const booking = {
      therapist_id: therapistId,
      patient_id: waiting.patient.id,
      date: input.date,
      duration_minutes: input.duration_minutes,
    };
    return this.booking.create(booking, async (session) => {
      // Again inside the transaction, locked: a second booking from the entry finds it closed.
      this.waitlist.closeBooked(await this.waitlist.getOpen(entryId), session);
    });
  }
}
