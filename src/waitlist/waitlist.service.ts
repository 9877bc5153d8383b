import { Injectable } from '@nestjs/common';
import { ref } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessScope } from '../access/access-scope.js';
import type { Page } from '../common/pagination/page.js';
import {
  ProblemException,
  conflictProblem,
  notFoundProblem,
  validationProblem,
} from '../common/problems/problem.exception.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { Clock } from '../common/time/clock.js';
import { PatientRepository } from '../patients/patient.repository.js';
import { parseMinute } from '../scheduling/working-hours.js';
import type { TimeSpan } from '../scheduling/schedule-rules.js';
import type { Session } from '../sessions/session.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import type {
  CreateWaitlistEntryDto,
  ListWaitlistQuery,
  UpdateWaitlistEntryDto,
} from './dto/waitlist.dto.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';
import { WaitlistEntryRepository, type WaitlistSlot } from './waitlist-entry.repository.js';

/** A slot someone could take: a therapist's free time, or a cancelled session's. */
export interface FreeSlot extends TimeSpan {
  therapistId: number;
}

/**
 * The waitlist. The desk and admins see and manage every entry; a therapist those naming them (others answer
 * 404), and adds entries for themself only, as they book. Removing an entry closes it; booking one (see
 * WaitlistBookingService) closes it with the session, in the booking's transaction.
 */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly em: EntityManager,
    private readonly entries: WaitlistEntryRepository,
    private readonly patients: PatientRepository,
    private readonly clinic: ClinicClock,
    private readonly clock: Clock,
    private readonly scope: AccessScope,
  ) {}

  list(query: ListWaitlistQuery): Promise<Page<WaitlistEntry>> {
    const filter = { therapistId: query.therapist_id, patientId: query.patient_id };
    return this.entries.findOpenPage(
      { ...filter, ownTherapistId: this.scope.ownTherapistId },
      query.toPageRequest(),
    );
  }

  async get(id: number): Promise<WaitlistEntry> {
    const entry = await this.entries.findWithPeople(id, this.scope.ownTherapistId);
    if (!entry) throw notFoundProblem(`Waitlist entry ${id} does not exist.`);
    return entry;
  }

  /**
   * An entry still waiting, for changing or booking it; 409 once it is closed. Locked for the rest of the
   * transaction, so two bookings from one entry take turns and the second finds it closed.
   */
  async getOpen(id: number): Promise<WaitlistEntry> {
    await this.entries.lock(id);
    const entry = await this.get(id);
    if (entry.closedAt) {
      throw conflictProblem(`Waitlist entry ${id} is closed (${entry.closedReason ?? 'closed'}).`, {
        closed_reason: entry.closedReason,
      });
    }
    return entry;
  }

  async add(input: CreateWaitlistEntryDto): Promise<WaitlistEntry> {
    const own = this.scope.ownTherapistId;
    const therapistId = input.therapist_id ?? own ?? null;
    if (own !== undefined && therapistId !== own) {
      throw new ProblemException('forbidden', 'A therapist adds waitlist entries for themself only.', {
        errors: [{ field: 'therapist_id', message: `therapist_id must be your own (${own})` }],
      });
    }
    const patient = await this.patients.findById(input.patient_id, own);
    if (!patient) {
      throw validationProblem([
        { field: 'patient_id', message: `patient ${input.patient_id} does not exist` },
      ]);
    }
    const fields = {
      earliestDate: input.earliest_date,
      latestDate: input.latest_date,
      weekdays: weekdaysOf(input.weekdays),
      timeFrom: input.time_from ?? null,
      timeTo: input.time_to ?? null,
    };
    assertConsistent(fields);
    const entry = this.entries.create({
      patient,
      therapist:
        therapistId === null ? null : this.em.getReference(Therapist, therapistId, { wrapped: true }),
      ...fields,
      notes: input.notes ?? null,
    });
    await this.em.flush();
    return this.get(entry.id);
  }

  async update(id: number, input: UpdateWaitlistEntryDto): Promise<WaitlistEntry> {
    await this.em.transactional(() => this.change(id, input));
    return this.get(id);
  }

  private async change(id: number, input: UpdateWaitlistEntryDto): Promise<void> {
    const entry = await this.getOpen(id);
    const own = this.scope.ownTherapistId;
    if (input.therapist_id !== undefined) {
      if (own !== undefined && input.therapist_id !== own) {
        throw new ProblemException('forbidden', 'A therapist keeps their waitlist entries their own.', {
          errors: [{ field: 'therapist_id', message: `therapist_id must be your own (${own})` }],
        });
      }
      entry.therapist =
        input.therapist_id === null
          ? null
          : this.em.getReference(Therapist, input.therapist_id, { wrapped: true });
    }
    if (input.earliest_date !== undefined) entry.earliestDate = input.earliest_date;
    if (input.latest_date !== undefined) entry.latestDate = input.latest_date;
    if (input.weekdays !== undefined) entry.weekdays = weekdaysOf(input.weekdays);
    if (input.time_from !== undefined) entry.timeFrom = input.time_from;
    if (input.time_to !== undefined) entry.timeTo = input.time_to;
    if (input.notes !== undefined) entry.notes = input.notes;
    assertConsistent(entry);
    await this.em.flush();
  }

  /** Takes the patient off the waitlist; the entry stays, closed as removed. */
  async remove(id: number): Promise<void> {
    await this.em.transactional(async (em) => {
      const entry = await this.getOpen(id);
      entry.closedAt = this.clock.now();
      entry.closedReason = 'removed';
      await em.flush();
    });
  }

  /** Closes the entry with the session booked from it; written by the booking's own flush. */
  closeBooked(entry: WaitlistEntry, session: Session): void {
    entry.closedAt = this.clock.now();
    entry.closedReason = 'booked';
    entry.session = ref(session);
  }

  /** Whether anyone waits for a slot on this day (`YYYY-MM-DD` in the clinic's zone). */
  anyWaitingOn(date: string): Promise<boolean> {
    return this.entries.anyOpenOn(date, this.scope.ownTherapistId);
  }

  /** Open entries that could take the slot, longest waiting first. */
  matches(slot: FreeSlot): Promise<WaitlistEntry[]> {
    if (slot.end <= slot.start) {
      throw validationProblem([{ field: 'end', message: 'end must be after start' }]);
    }
    this.scope.assertSeesTherapist(slot.therapistId);
    return this.entries.findMatches(this.onCalendar(slot), this.scope.ownTherapistId);
  }

  /** The slot as the clinic's calendar reads it: its day, weekday and local times. */
  private onCalendar({ therapistId, start, end }: FreeSlot): WaitlistSlot {
    const from = this.clinic.zoned(start);
    const to = this.clinic.zoned(end);
    const sameDay = to.toPlainDate().equals(from.toPlainDate());
    const hhmm = (zoned: typeof from): string => zoned.toPlainTime().toString({ smallestUnit: 'minute' });
    return {
      therapistId,
      start,
      end,
      date: from.toPlainDate().toString(),
      weekday: from.dayOfWeek,
      startTime: hhmm(from),
      endTime: sameDay ? hhmm(to) : '24:00',
    };
  }
}

/** An empty list means any day, as null does; stored ascending. */
const weekdaysOf = (weekdays: number[] | null | undefined): number[] | null =>
  weekdays && weekdays.length > 0 ? [...weekdays].sort((a, b) => a - b) : null;

function assertConsistent(entry: {
  earliestDate: string;
  latestDate: string;
  timeFrom: string | null;
  timeTo: string | null;
}): void {
  const errors: FieldError[] = [];
  if (entry.latestDate < entry.earliestDate) {
    errors.push({ field: 'latest_date', message: 'latest_date must not be before earliest_date' });
  }
  const from = entry.timeFrom === null ? undefined : parseMinute(entry.timeFrom.slice(0, 5));
  const to = entry.timeTo === null ? undefined : parseMinute(entry.timeTo.slice(0, 5));
  if (from !== undefined && to !== undefined && to <= from) {
    errors.push({ field: 'time_to', message: 'time_to must be after time_from' });
  }
  if (errors.length > 0) throw validationProblem(errors);
}
