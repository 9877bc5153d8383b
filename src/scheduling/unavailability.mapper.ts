import type { Closure } from './closure.entity.js';
import type {
  ClosureCreatedResponse,
  ClosureResponse,
  StrandedSessionResponse,
  TimeOffCreatedResponse,
  TimeOffResponse,
} from './dto/unavailability.dto.js';
import type { TimeOff } from './time-off.entity.js';
import type { StrandedSession } from './unavailability.service.js';

export const toTimeOffResponse = (timeOff: TimeOff): TimeOffResponse => ({
  id: timeOff.id,
  therapist_id: timeOff.therapist.id,
  starts_at: timeOff.startsAt.toISOString(),
  ends_at: timeOff.endsAt.toISOString(),
  reason: timeOff.reason,
});

export const toClosureResponse = (closure: Closure): ClosureResponse => ({
  id: closure.id,
  starts_on: closure.startsOn,
  ends_on: closure.endsOn,
  name: closure.name,
});

export const toStrandedResponse = (session: StrandedSession): StrandedSessionResponse => ({
  id: session.id,
  starts_at: session.startsAt.toISOString(),
  ends_at: session.endsAt.toISOString(),
  therapist_id: session.therapistId,
  therapist_name: session.therapistName,
  patient_id: session.patientId,
  patient_name: session.patientName,
  reason: session.reason,
  url: `/sessions/${session.id}`,
});

export const toTimeOffCreated = (timeOff: TimeOff, stranded: StrandedSession[]): TimeOffCreatedResponse =>
  Object.assign(toTimeOffResponse(timeOff), { stranded_sessions: stranded.map(toStrandedResponse) });

export const toClosureCreated = (closure: Closure, stranded: StrandedSession[]): ClosureCreatedResponse =>
  Object.assign(toClosureResponse(closure), { stranded_sessions: stranded.map(toStrandedResponse) });
