import type { ClinicClock } from '../common/time/clinic-time.js';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction } from './audit-actions.js';
import type { AuditPage } from './audit-trail.service.js';
import { auditQueryString } from './audit.mapper.js';
import type { AuditRow } from './audit.repository.js';
import type { ListAuditEventsQuery } from './dto/audit-event.dto.js';

interface Choice {
  value: string;
  label: string;
  selected: boolean;
}

export interface AuditRowView {
  when: string;
  isoTime: string;
  actor: string;
  action: string;
  actionLabel: string;
  record: { label: string; url: string | null } | null;
  patient: { name: string; url: string } | null;
  outcome: string;
  failed: boolean;
  ip: string | null;
  detail: string;
}

export interface AuditPageView {
  title: string;
  nav: Record<string, boolean>;
  filters: { from: string; to: string; patient_id: string };
  users: Choice[];
  actions: Choice[];
  outcomes: Choice[];
  rows: AuditRowView[];
  newest: string | null;
  older: string | null;
  exportUrl: string;
  errors: { field: string; message: string }[];
}

const RECORD_PAGES: Record<string, string> = {
  patient: '/patients',
  session: '/sessions',
  therapist: '/therapists',
  user: '/users',
};

const label = (action: string): string =>
  action in AUDIT_ACTION_LABELS ? AUDIT_ACTION_LABELS[action as AuditAction] : action;

/** A short reading of an event's detail: changed fields, a status's from → to, a refusal's reason, filters. */
function describe(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  const { fields, from, to, reason, email, ...rest } = detail;
  if (Array.isArray(fields)) parts.push(`changed ${fields.join(', ')}`);
  if (typeof from === 'string' && typeof to === 'string') parts.push(`${from} → ${to}`);
  if (typeof reason === 'string') parts.push(reason.replaceAll('_', ' '));
  if (typeof email === 'string') parts.push(email);
  for (const [key, value] of Object.entries(rest))
    parts.push(`${key.replaceAll('_', ' ')}: ${String(value)}`);
  return parts.join('; ');
}

export function toAuditRowView(row: AuditRow, clock: ClinicClock): AuditRowView {
  const page = row.record_type === null ? undefined : RECORD_PAGES[row.record_type];
  const actor =
    row.actor_name ??
    (row.actor_user_id !== null
      ? `user ${row.actor_user_id}`
      : row.detail.source === 'database'
        ? 'outside the app'
        : '—');
  return {
    when: clock.dateTime(new Date(row.occurred_at)),
    isoTime: row.occurred_at,
    actor: row.actor_token_id === null ? actor : `${actor} (API token ${row.actor_token_id})`,
    action: row.action,
    actionLabel: label(row.action),
    record:
      row.record_type === null
        ? null
        : {
            label: `${row.record_type.replaceAll('_', ' ')}${row.record_id === null ? '' : ` ${row.record_id}`}`,
            url:
              page && row.record_id !== null && !row.action.endsWith('.delete')
                ? `${page}/${row.record_id}`
                : null,
          },
    patient:
      row.patient_id === null
        ? null
        : { name: row.patient_name ?? `patient ${row.patient_id}`, url: `/patients/${row.patient_id}` },
    outcome: row.outcome,
    failed: row.outcome !== 'success',
    ip: row.ip,
    detail: describe(row.detail),
  };
}

export function toAuditPageView(
  query: ListAuditEventsQuery,
  page: AuditPage,
  users: { id: number; name: string }[],
  clock: ClinicClock,
  errors: { field: string; message: string }[] = [],
): AuditPageView {
  return {
    title: 'Audit trail',
    nav: { audit: true },
    filters: { from: query.from ?? '', to: query.to ?? '', patient_id: query.patient_id?.toString() ?? '' },
    users: users.map((user) => ({
      value: String(user.id),
      label: user.name,
      selected: user.id === query.user_id,
    })),
    actions: AUDIT_ACTIONS.map((action) => ({
      value: action,
      label: `${label(action)} (${action})`,
      selected: action === query.action,
    })),
    outcomes: AUDIT_OUTCOMES.map((outcome) => ({
      value: outcome,
      label: outcome,
      selected: outcome === query.outcome,
    })),
    rows: page.events.map((row) => toAuditRowView(row, clock)),
    newest: query.cursor === undefined ? null : `/admin/audit${auditQueryString(query)}`,
    older: page.nextCursor === null ? null : `/admin/audit${auditQueryString(query, page.nextCursor)}`,
    exportUrl: `/admin/audit/export.csv${auditQueryString(query)}`,
    errors,
  };
}
