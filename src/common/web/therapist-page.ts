import { listUrl } from './list-url.js';

/**
 * A clinic of 200 therapists makes no readable day sheet or week: the views show a page of them at a time (in the
 * order given, alphabetical), with links to the others; a small clinic fits on one page and sees no pager.
 */
export interface TherapistPager {
  /** e.g. "Therapists 11–20 of 200"; absent when everyone fits on one page. */
  label?: string;
  previousUrl?: string;
  nextUrl?: string;
}

export interface TherapistPage<T> {
  items: T[];
  pager: TherapistPager;
}

export function therapistPage<T>(
  all: readonly T[],
  page: number | undefined,
  size: number,
  urlOf: (page: number) => string,
): TherapistPage<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const current = Math.min(Math.max(1, page ?? 1), pages);
  const items = all.slice((current - 1) * size, current * size);
  if (pages === 1) return { items, pager: {} };
  const first = (current - 1) * size + 1;
  return {
    items,
    pager: {
      label: `Therapists ${first}–${first + items.length - 1} of ${all.length}`,
      previousUrl: current > 1 ? urlOf(current - 1) : undefined,
      nextUrl: current < pages ? urlOf(current + 1) : undefined,
    },
  };
}

/** The `page` of a view's URL, left out on the first. */
export const pagedUrl = (
  path: string,
  params: Record<string, string | number | undefined>,
  page: number,
): string => listUrl(path, { ...params, page: page > 1 ? page : undefined });
