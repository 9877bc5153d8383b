import type { SessionEventResponse, SessionListResponse, SessionResponse } from './dto/session.dto.js';
import type { SessionEvent } from './session-event.entity.js';
import { toSessionJson } from './session-list.sql.js';
import type { SessionListPage, SessionWithPeople } from './session.repository.js';

/** An entity as the API shows a session: the list's JSON, so that one definition serves both. */
export function toSessionResponse(session: SessionWithPeople): SessionResponse {
  const therapist = session.therapist.$;
  const patient = session.patient.$;
  return toSessionJson({
    id: session.id,
    therapist_id: therapist.id,
    therapist_name: therapist.name,
    patient_id: patient.id,
    patient_name: patient.name,
    starts_at: session.startsAt.toISOString(),
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
    created_key: session.createdAt.toISOString(),
  });
}

/** `linkTo(cursor)` is the request's own URL with `cursor` in place of its page. */
export function toSessionListResponse(
  page: SessionListPage,
  linkTo: (cursor: string) => string,
): SessionListResponse {
  return {
    data: page.items.map(toSessionJson),
    meta: {
      page: page.page,
      page_size: page.pageSize,
      total: page.total,
      total_is_estimate: page.totalIsEstimate,
      next_cursor: page.next ?? null,
      prev_cursor: page.prev ?? null,
    },
    links: {
      next: page.next ? linkTo(page.next) : null,
      prev: page.prev ? linkTo(page.prev) : null,
    },
  };
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

/** Links to other pages of the list at `originalUrl`: the same query, `cursor` in place of `page`. */
export const cursorLinks =
  (originalUrl: string) =>
  (cursor: string): string => {
    const url = new URL(originalUrl, 'http://list.invalid');
    url.searchParams.delete('page');
    url.searchParams.set('cursor', cursor);
    return `${url.pathname}${url.search}`;
  };
