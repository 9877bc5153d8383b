import type { AuditRow } from './audit.repository.js';
import type { AuditEventResponse, ListAuditEventsQuery } from './dto/audit-event.dto.js';

const toNumber = (value: string | null): number | null => (value === null ? null : Number(value));

export function toAuditEventResponse(row: AuditRow): AuditEventResponse {
  return {
    id: Number(row.id),
    occurred_at: row.occurred_at,
    actor:
      row.actor_user_id === null && row.actor_token_id === null
        ? null
        : { user_id: row.actor_user_id, name: row.actor_name, token_id: row.actor_token_id },
    action: row.action,
    record_type: row.record_type,
    record_id: toNumber(row.record_id),
    patient_id: row.patient_id,
    outcome: row.outcome,
    detail: row.detail,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
  };
}

/** The filters a view was asked for, the empty ones left out: for its links, and for an export's own trace. */
export function filtersOf(query: ListAuditEventsQuery): Record<string, string | number> {
  const values = {
    user_id: query.user_id,
    patient_id: query.patient_id,
    action: query.action,
    outcome: query.outcome,
    from: query.from,
    to: query.to,
  };
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string | number] => entry[1] !== undefined),
  );
}

/** The query string of a filtered view, for its next page and its export. */
export function auditQueryString(query: ListAuditEventsQuery, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filtersOf(query))) params.set(key, String(value));
  if (cursor !== undefined) params.set('cursor', cursor);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'actor_user_id',
  'actor_name',
  'actor_token_id',
  'action',
  'record_type',
  'record_id',
  'patient_id',
  'outcome',
  'detail',
  'ip',
  'user_agent',
  'request_id',
] as const;

/** A spreadsheet runs a cell that starts like a formula: such text is exported with a leading apostrophe. */
const inert = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function toAuditCsvRecord(row: AuditRow): string[] {
  const cells: Record<(typeof AUDIT_CSV_COLUMNS)[number], string | number | null> = {
    ...row,
    occurred_at: row.occurred_at,
    detail: JSON.stringify(row.detail),
  };
  return AUDIT_CSV_COLUMNS.map((column) => {
    const value = cells[column];
    return value === null ? '' : inert(String(value));
  });
}
