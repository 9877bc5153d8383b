import type { SortOrder } from '../pagination/page.js';

/** A list's column header: a sortable one links to its list sorted by it (the other way when it is the sort). */
export interface ColumnView {
  label: string;
  url?: string;
  ariaSort?: 'ascending' | 'descending';
  arrow?: string;
}

export function sortableColumns<Sort extends string>(
  columns: { label: string; sort?: Sort }[],
  current: { sort: Sort; order: SortOrder },
  urlFor: (sort: Sort, order: SortOrder) => string,
): ColumnView[] {
  return columns.map(({ label, sort }) => {
    if (!sort) return { label };
    const active = current.sort === sort;
    return {
      label,
      url: urlFor(sort, active && current.order === 'asc' ? 'desc' : 'asc'),
      ariaSort: active ? (current.order === 'asc' ? 'ascending' : 'descending') : undefined,
      arrow: active ? (current.order === 'asc' ? '▲' : '▼') : undefined,
    };
  });
}
