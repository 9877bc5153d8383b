import { DEFAULT_PAGE_SIZE, type Page, type SortOrder } from '../common/pagination/page.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { listUrl } from '../common/web/list-url.js';
import { sortableColumns, type ColumnView } from '../common/web/sortable-columns.js';
import { pageSizeOptions, paginationView, type PaginationView } from '../common/web/pagination.view.js';
import type { PersonListQuery, PersonSort } from './person-list.query.js';

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

/** One column of a directory: its header (sortable or not) and what its cell shows of a person. */
export interface PersonColumn<View> {
  label: string;
  sort?: PersonSort;
  /** The cell's text; empty ones show a dash. */
  cell: (person: View) => string | null;
  /** The cell links to the person's page. */
  link?: boolean;
}

export interface PersonCellView {
  label: string;
  text: string | null;
  url?: string;
}

export interface PersonRowView {
  /** The row's element id, e.g. `therapist-7`. */
  id: string;
  cells: PersonCellView[];
}

/** What the directory templates say of the kind of person listed. */
export interface DirectoryView {
  path: string;
  /** e.g. `Therapists`. */
  title: string;
  /** e.g. `therapist`. */
  noun: string;
  /** e.g. `therapists`. */
  plural: string;
}

export interface PersonResultsView {
  directory: DirectoryView;
  state: PersonListState;
  columns: ColumnView[];
  rows: PersonRowView[];
  pagination: PaginationView;
  clearUrl: string;
  searched: boolean;
  /** The first page, when the requested page lies beyond the last one. */
  firstPageUrl?: string;
  /** The list parameters that are not valid, shown instead of the list. */
  errors: FieldError[];
}

export interface PersonListView extends PersonResultsView {
  title: string;
  nav: Record<string, boolean>;
  /** Only on the whole page: htmx swaps the results, not the search form. */
  pageSizeOptions?: { value: number; selected: boolean }[];
}

export const directoryView = (path: string, title: string, noun: string): DirectoryView => ({
  path,
  title,
  noun,
  plural: title.toLowerCase(),
});

export interface PersonListInput<View extends { id: number; url: string }> {
  directory: DirectoryView;
  nav: Record<string, boolean>;
  columns: PersonColumn<View>[];
  page: Page<View>;
  state: PersonListState;
  errors: FieldError[];
  /** The whole page (with the page-size choices), not only the results htmx swaps. */
  fullPage: boolean;
}

/** Sortable headers (each a link toggling the order), rows and page links of a people list. */
export function toPersonListView<View extends { id: number; url: string }>(
  input: PersonListInput<View>,
): PersonListView {
  const { directory, page, state, columns } = input;
  const url = (changes: Partial<PersonListState>): string => personListUrl(directory.path, state, changes);
  return {
    title: directory.title,
    nav: input.nav,
    directory,
    state,
    columns: sortableColumns(columns, state, (sort, order) => url({ sort, order, page: 1 })),
    rows: page.items.map((person) => ({
      id: `${directory.noun}-${person.id}`,
      cells: columns.map(({ label, cell, link }) => ({
        label,
        text: cell(person),
        url: link ? person.url : undefined,
      })),
    })),
    pagination: paginationView(page, (number) => url({ page: number })),
    clearUrl: directory.path,
    searched: Boolean(state.q),
    firstPageUrl: page.items.length === 0 && page.total > 0 ? url({ page: 1 }) : undefined,
    errors: input.errors,
    ...(input.fullPage ? { pageSizeOptions: pageSizeOptions(state.page_size) } : {}),
  };
}

export const emptyPage = <T>(state: PersonListState): Page<T> => ({
  items: [],
  total: 0,
  page: state.page,
  pageSize: state.page_size,
});
