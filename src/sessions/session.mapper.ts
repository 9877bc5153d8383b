import { pageMeta, type Page } from '../common/pagination/page.js';
import type { SessionEventResponse, SessionListResponse, SessionResponse } from './dto/session.dto.js';
import type { SessionEvent } from './session-event.entity.js';
import type { SessionWithPeople } from './session.repository.js';

export function toSessionResponse(session: SessionWithPeople): SessionResponse {
  const therapist = session.therapist.$;
  const patient = session.patient.$;
  return {
    id: session.id,
    therapist_id: therapist.id,
    patient_id: patient.id,
    therapist: { id: therapist.id, name: therapist.name },
    patient: { id: patient.id, name: patient.name },
    date: session.startsAt.toISOString(),
    duration_minutes: session.durationMinutes,
    ends_at: session.endsAt.toISOString(),
    status: session.status,
    notes: session.notes,
    status_reason: session.statusReason,
    series_id: session.series?.id ?? null,
    checked_in_at: session.checkedInAt?.toISOString() ?? null,
    version: session.version,
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
  };
}

export function toSessionListResponse(page: Page<SessionWithPeople>): SessionListResponse {
  return { data: page.items.map(toSessionResponse), meta: pageMeta(page) };
}

export function toSessionEventResponse(event: SessionEvent): SessionEventResponse {
  return {
    id: event.id,
    occurred_at: event.occurredAt.toISOString(),
    type: event.type,
    before: event.before,
    after: event.after,
    reason: event.reason,
    actor_id: event.actor?.id ?? null,
    actor: event.actor?.getEntity().name ?? null,
  };
}
