import type { ClinicClock } from '../common/time/clinic-time.js';
import { listUrl } from '../common/web/list-url.js';
import { sortableColumns, type ColumnView } from '../common/web/sortable-columns.js';
import { pageSizeOptions, paginationView, type PaginationView } from '../common/web/pagination.view.js';
import type { SessionSort } from './dto/session.dto.js';
import { ACTION_LABELS, requiresReason, type LifecycleFacts } from './session-lifecycle.js';
import { SESSION_STATUSES, type SessionStatus } from './session-status.js';
import type { SessionListRow } from './session-list.sql.js';
import type { SessionListPage } from './session.repository.js';
import type { SessionWithPeople } from './session.repository.js';

/** What a page shows of one session; every string is escaped by the templates. */
export interface SessionRowView {
  id: number;
  url: string;
  date: string;
  time: string;
  /** One line for a list, e.g. `Thu 10 Dec · 09:00–09:50` (the year is in `date`). */
  when: string;
  zone: string;
  therapist: { name: string; url: string };
  patient: { name: string; url: string };
  durationMinutes: number;
  status: SessionStatus;
  statusClass: string;
  notes: string | null;
  version: number;
  actions: { status: SessionStatus; label: string }[];
  /** The cancellation allowed now (Cancelled or Late-Cancelled), which needs a reason. */
  cancellation?: { status: SessionStatus; label: string };
  statusReason: string | null;
  seriesId: number | null;
  /** Where a plain (no-JavaScript) status change returns to. */
  returnTo: string;
  error?: string;
}

export const statusClass = (status: SessionStatus): string => status.toLowerCase().replace(/[^a-z]+/g, '-');

/** What every session view needs besides the session: how to show time, and which changes are allowed now. */
export interface SessionViewContext {
  clock: ClinicClock;
  transitionsOf: (session: LifecycleFacts) => SessionStatus[];
}

/** The context of the staff pages: the clinic's clock and the session policy's transitions. */
export const sessionViewContext = (
  clock: ClinicClock,
  policy: Pick<SessionViewContext, 'transitionsOf'>,
): SessionViewContext => ({ clock, transitionsOf: policy.transitionsOf });

/** What a row shows of a session, whether it came from the list's SQL or from an entity. */
interface SessionShown {
  id: number;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  status: SessionStatus;
  notes: string | null;
  statusReason: string | null;
  version: number;
  seriesId: number | null;
  therapist: { id: number; name: string };
  patient: { id: number; name: string };
}

const shownOf = (session: SessionWithPeople | SessionListRow): SessionShown =>
  'starts_at' in session
    ? {
        id: session.id,
        startsAt: new Date(session.starts_at),
        endsAt: new Date(session.ends_at),
        durationMinutes: session.duration_minutes,
        status: session.status,
        notes: session.notes,
        statusReason: session.status_reason,
        version: session.version,
        seriesId: session.series_id,
        therapist: { id: session.therapist_id, name: session.therapist_name },
        patient: { id: session.patient_id, name: session.patient_name },
      }
    : {
        id: session.id,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        durationMinutes: session.durationMinutes,
        status: session.status,
        notes: session.notes,
        statusReason: session.statusReason,
        version: session.version,
        seriesId: session.series?.id ?? null,
        therapist: session.therapist.$,
        patient: session.patient.$,
      };

export function toSessionRowView(
  row: SessionWithPeople | SessionListRow,
  { clock, transitionsOf }: SessionViewContext,
  returnTo: string,
  error?: string,
): SessionRowView {
  const session = shownOf(row);
  const { therapist, patient } = session;
  return {
    id: session.id,
    url: `/sessions/${session.id}`,
    date: clock.date(session.startsAt),
    time: `${clock.time(session.startsAt)}–${clock.time(session.endsAt)}`,
    when: `${clock.dayMonth(session.startsAt)} · ${clock.time(session.startsAt)}–${clock.time(session.endsAt)}`,
    zone: clock.zone(session.startsAt),
    therapist: { name: therapist.name, url: `/therapists/${therapist.id}` },
    patient: { name: patient.name, url: `/patients/${patient.id}` },
    durationMinutes: session.durationMinutes,
    status: session.status,
    statusClass: statusClass(session.status),
    notes: session.notes,
    version: session.version,
    actions: transitionsOf(session)
      .filter((status) => !requiresReason(status))
      .map((status) => ({ status, label: ACTION_LABELS[status] })),
    cancellation: transitionsOf(session)
      .filter(requiresReason)
      .map((status) => ({ status, label: ACTION_LABELS[status] }))[0],
    statusReason: session.statusReason,
    seriesId: session.seriesId,
    returnTo,
    error,
  };
}

/** The list's state, as it appears in the URL. */
export interface SessionListState {
  q?: string;
  status?: string;
  therapist_id?: number;
  patient_id?: number;
  /** Only the sessions of one recurring series (the detail page links here). */
  series_id?: number;
  from?: string;
  to?: string;
  sort: SessionSort;
  order: 'asc' | 'desc';
  page: number;
  page_size: number;
  /** Where the page starts when read by cursor (Next / Previous); page numbers are then not shown. */
  cursor?: string;
}

export const DEFAULT_SESSION_LIST_STATE: SessionListState = {
  sort: 'date',
  order: 'asc',
  page: 1,
  page_size: 25,
};

/** The list's filters and sort, every page, as a CSV download (page, page size and cursor do not apply). */
const exportUrl = (state: SessionListState): string =>
  listUrl(
    '/sessions/export.csv',
    { ...state, page: 1, page_size: DEFAULT_SESSION_LIST_STATE.page_size, cursor: undefined },
    { ...DEFAULT_SESSION_LIST_STATE },
  );

export const sessionsUrl = (state: SessionListState, changes: Partial<SessionListState> = {}): string =>
  listUrl('/sessions', { ...state, ...changes }, { ...DEFAULT_SESSION_LIST_STATE });

const COLUMNS: { label: string; sort?: SessionSort }[] = [
  { label: 'Date and time', sort: 'date' },
  { label: 'Therapist', sort: 'therapist' },
  { label: 'Patient', sort: 'patient' },
  { label: 'Duration' },
  { label: 'Status', sort: 'status' },
  { label: 'Actions' },
];

export interface SessionResultsView {
  state: SessionListState;
  columns: ColumnView[];
  rows: SessionRowView[];
  pagination: PaginationView;
  /** The list without any filter, in the same order and page size. */
  clearUrl: string;
  /** Every session of these filters, as CSV. */
  exportUrl: string;
  filtered: boolean;
  /** The series filter, shown as a chip that removes it. */
  series?: { id: number; clearUrl: string };
  /** The first page, when the requested page lies beyond the last one. */
  firstPageUrl?: string;
}

export function toSessionResultsView(
  page: SessionListPage,
  state: SessionListState,
  context: SessionViewContext,
): SessionResultsView {
  const returnTo = sessionsUrl(state);
  return {
    state,
    columns: sortableColumns(COLUMNS, state, (sort, order) =>
      sessionsUrl(state, { sort, order, page: 1, cursor: undefined }),
    ),
    rows: page.items.map((session) => toSessionRowView(session, context, returnTo)),
    pagination: sessionPagination(page, state),
    exportUrl: exportUrl(state),
    clearUrl: sessionsUrl({
      ...DEFAULT_SESSION_LIST_STATE,
      sort: state.sort,
      order: state.order,
      page_size: state.page_size,
    }),
    filtered: Boolean(
      state.q ||
      state.status ||
      state.therapist_id ||
      state.patient_id ||
      state.series_id ||
      state.from ||
      state.to,
    ),
    series:
      state.series_id === undefined
        ? undefined
        : { id: state.series_id, clearUrl: sessionsUrl(state, { series_id: undefined, page: 1 }) },
    firstPageUrl: page.items.length === 0 && page.total > 0 ? sessionsUrl(state, { page: 1 }) : undefined,
  };
}

/** "1,234", or "about 1.2 M" for an estimate. */
export function totalText(total: number, estimate: boolean): string {
  if (!estimate) return total.toLocaleString('en-GB');
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  return `about ${compact.format(total).replace(/(\d)([KMB])$/, '$1 $2')}`;
}

/**
 * Page numbers while the total is exact and the page was reached by number; past an estimate, or once on a
 * cursor, only Previous / Next, by cursor (as fast deep in the list as at its start).
 */
export function sessionPagination(
  page: SessionListPage,
  state: SessionListState,
): PaginationView & { totalText: string } {
  const numbered = paginationView(page, (number) => sessionsUrl(state, { page: number, cursor: undefined }));
  const text = totalText(page.total, page.totalIsEstimate);
  if (!page.totalIsEstimate && !state.cursor) return { ...numbered, totalText: text };
  const byCursor = (cursor: string | undefined): string | undefined =>
    cursor ? sessionsUrl(state, { cursor, page: 1 }) : undefined;
  return {
    ...numbered,
    countText: `${page.items.length} of ${text}`,
    totalText: text,
    pages: [],
    previousUrl: byCursor(page.prev),
    nextUrl: byCursor(page.next),
  };
}

export interface Option {
  value: string | number;
  label: string;
  selected: boolean;
}

export const statusOptions = (selected?: string): Option[] =>
  SESSION_STATUSES.map((status) => ({ value: status, label: status, selected: status === selected }));

export const personOptions = (people: { id: number; name: string }[], selected?: number): Option[] =>
  people.map((person) => ({ value: person.id, label: person.name, selected: person.id === selected }));

export { pageSizeOptions };
