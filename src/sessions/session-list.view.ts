import { parseId } from '../common/http/id-param.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { SESSION_SORTS, type ListSessionsQuery } from './dto/session.dto.js';
import type { PersonChoices } from '../people/people.service.js';
import type { SessionListPage } from './session.repository.js';
import { presetEmptyText, sessionPresets, type SessionPresetView } from './session-presets.js';
import {
  DEFAULT_SESSION_LIST_STATE,
  pageSizeOptions,
  personOptions,
  statusOptions,
  toSessionResultsView,
  type Option,
  type SessionListState,
  type SessionResultsView,
  type SessionViewContext,
} from './session.view.js';

export const EMPTY_SESSION_PAGE: SessionListPage = {
  items: [],
  total: 0,
  totalIsEstimate: false,
  page: 1,
  pageSize: 25,
};

export const sessionListState = (query: ListSessionsQuery): SessionListState => ({
  q: query.q,
  status: query.status,
  therapist_id: query.therapist_id,
  patient_id: query.patient_id,
  series_id: query.series_id,
  from: query.from,
  to: query.to,
  sort: query.sort,
  order: query.order,
  page: query.page,
  page_size: query.page_size,
  cursor: query.cursor,
});

/**
 * Keeps what the user typed in the filters visible next to the message about it, and the series and sort order
 * when they are valid, so the next search still carries them.
 */
export function invalidSessionListState(raw: Record<string, unknown>): SessionListState {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value ? value : undefined;
  const sort = SESSION_SORTS.find((name) => name === raw.sort);
  const order = raw.order === 'asc' || raw.order === 'desc' ? raw.order : undefined;
  return {
    ...DEFAULT_SESSION_LIST_STATE,
    q: text(raw.q),
    from: text(raw.from),
    to: text(raw.to),
    series_id: parseId(raw.series_id),
    ...(sort && { sort }),
    ...(order && { order }),
  };
}

/** The filter form's choices; only on the whole page, as htmx swaps the results and not the form. */
export interface SessionFilterChoices {
  statusOptions: Option[];
  therapistOptions: Option[];
  patientOptions: Option[];
  /** Too many patients for a select: it holds only the chosen one, and the search field finds the others. */
  patientsBySearch: boolean;
  pageSizeOptions: { value: number; selected: boolean }[];
}

type Names = { id: number; name: string }[];

export const sessionFilterChoices = (
  state: SessionListState,
  therapists: Names,
  patients: PersonChoices,
): SessionFilterChoices => ({
  statusOptions: statusOptions(state.status),
  therapistOptions: personOptions(therapists, state.therapist_id),
  patientOptions: personOptions(patients.names, state.patient_id),
  patientsBySearch: !patients.complete,
  pageSizeOptions: pageSizeOptions(state.page_size),
});

export type SessionListView = SessionResultsView &
  Partial<SessionFilterChoices> & {
    title: string;
    nav: Record<string, boolean>;
    /** The filters that cannot be applied, shown instead of the list. */
    errors: FieldError[];
    /** Today, This week, Upcoming, Past. */
    presets: SessionPresetView[];
    /** Said instead of "No sessions match these filters" when only a preset narrows the list. */
    presetEmpty?: string;
  };

export const toSessionListView = (
  page: SessionListPage,
  state: SessionListState,
  context: SessionViewContext,
  errors: FieldError[],
  choices?: SessionFilterChoices,
): SessionListView => ({
  title: 'Sessions',
  nav: { sessions: true },
  ...toSessionResultsView(page, state, context),
  errors,
  presets: sessionPresets(state, context.clock.today()),
  presetEmpty: presetEmptyText(state, context.clock.today()),
  ...choices,
});
