import { DEFAULT_PAGE_SIZE, type Page, type SortOrder } from '../pagination/page.js';
import { validateInput, withoutEmptyValues } from '../validation/validate-input.js';
import { listUrl } from '../web/list-url.js';
import { PageView } from '../web/page.js';
import { pageSizeOptions, paginationView, type PaginationView } from '../web/pagination.view.js';
import { PersonListQuery, type PersonListCriteria, type PersonSort } from './person-list.query.js';

/** The state of a therapist or patient list, as it appears in the URL. */
export interface PersonListState {
  q?: string;
  sort: PersonSort;
  order: SortOrder;
  page: number;
  page_size: number;
}

export const DEFAULT_PERSON_LIST_STATE: PersonListState = {
  sort: 'name',
  order: 'asc',
  page: 1,
  page_size: DEFAULT_PAGE_SIZE,
};

export const personListState = (query: PersonListQuery): PersonListState => ({
  q: query.q,
  sort: query.sort,
  order: query.order,
  page: query.page,
  page_size: query.page_size,
});

/** Keeps what the user typed in the search box visible next to the message about the query. */
export function invalidPersonListState(raw: Record<string, unknown>): PersonListState {
  return { ...DEFAULT_PERSON_LIST_STATE, q: typeof raw.q === 'string' && raw.q ? raw.q : undefined };
}

export const personListUrl = (
  path: string,
  state: PersonListState,
  changes: Partial<PersonListState> = {},
): string => listUrl(path, { ...state, ...changes }, { ...DEFAULT_PERSON_LIST_STATE });

export interface PersonColumn {
  label: string;
  sort?: PersonSort;
}

export interface ColumnView {
  label: string;
  url?: string;
  ariaSort?: 'ascending' | 'descending';
  arrow?: string;
}

export interface PersonResultsView<Row> {
  state: PersonListState;
  columns: ColumnView[];
  rows: Row[];
  pagination: PaginationView;
  clearUrl: string;
  searched: boolean;
  /** The first page, when the requested page lies beyond the last one. */
  firstPageUrl?: string;
}

/** Sortable headers (each a link toggling the order), rows and page links of a people list. */
export function toPersonResultsView<T, Row>(
  path: string,
  page: Page<T>,
  state: PersonListState,
  columns: PersonColumn[],
  toRow: (item: T) => Row,
): PersonResultsView<Row> {
  return {
    state,
    columns: columns.map(({ label, sort }) => {
      if (!sort) return { label };
      const active = state.sort === sort;
      const order = active && state.order === 'asc' ? 'desc' : 'asc';
      return {
        label,
        url: personListUrl(path, state, { sort, order, page: 1 }),
        ariaSort: active ? (state.order === 'asc' ? 'ascending' : 'descending') : undefined,
        arrow: active ? (state.order === 'asc' ? '▲' : '▼') : undefined,
      };
    }),
    rows: page.items.map(toRow),
    pagination: paginationView(page, (number) => personListUrl(path, state, { page: number })),
    clearUrl: path,
    searched: Boolean(state.q),
    firstPageUrl:
      page.items.length === 0 && page.total > 0 ? personListUrl(path, state, { page: 1 }) : undefined,
  };
}

export const emptyPage = <T>(state: PersonListState): Page<T> => ({
  items: [],
  total: 0,
  page: state.page,
  pageSize: state.page_size,
});

/** What distinguishes the therapist directory from the patient directory. */
export interface PersonDirectory<T, Row> {
  path: string;
  title: string;
  nav: Record<string, boolean>;
  columns: PersonColumn[];
  list: (criteria: PersonListCriteria) => Promise<Page<T>>;
  toRow: (person: T) => Row;
}

/**
 * A directory page (list, search, sort, pagination): invalid parameters show the page with their messages and a
 * 400; htmx gets only the results, so the page-size choices are left out.
 */
export async function personListPage<T, Row>(
  directory: PersonDirectory<T, Row>,
  raw: Record<string, unknown>,
  htmx: boolean,
): Promise<PageView> {
  const parsed = await validateInput(PersonListQuery, withoutEmptyValues(raw));
  const state = parsed.ok ? personListState(parsed.value) : invalidPersonListState(raw);
  const page = parsed.ok ? await directory.list(parsed.value.toCriteria()) : emptyPage<T>(state);
  const errors = parsed.ok ? [] : parsed.errors;
  const model = {
    title: directory.title,
    nav: directory.nav,
    ...toPersonResultsView(directory.path, page, state, directory.columns, directory.toRow),
    errors,
    ...(htmx ? {} : { pageSizeOptions: pageSizeOptions(state.page_size) }),
  };
  return new PageView(model, { status: errors.length ? 400 : 200 });
}
