import type { Page } from '../pagination/page.js';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface PaginationView {
  total: number;
  /** `1–25 of 123`; a list may say less (`25 of about 1.2 M`) when it reads by cursor. */
  countText: string;
  first: number;
  last: number;
  page: number;
  pageCount: number;
  /** `1 page`, `3 pages`. */
  pageCountText: string;
  previousUrl?: string;
  nextUrl?: string;
  /** Page links, with `gap` entries where numbers are skipped (shown as …). */
  pages: ({ number: number; url: string; current: boolean } | { gap: true })[];
}

/** Previous/next and a window of page numbers around the current page, each a real link. */
export function paginationView(page: Page<unknown>, urlFor: (page: number) => string): PaginationView {
  const pageCount = Math.max(1, Math.ceil(page.total / page.pageSize));
  const windowStart = Math.max(1, page.page - 2);
  const windowEnd = Math.min(pageCount, page.page + 2);
  const numbers = new Set<number>([1, pageCount]);
  for (let number = windowStart; number <= windowEnd; number++) numbers.add(number);
  const sorted = [...numbers].sort((a, b) => a - b);
  const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const last = Math.min(page.total, page.page * page.pageSize);
  return {
    total: page.total,
    countText: `${first}–${last} of ${page.total}`,
    first,
    last,
    page: page.page,
    pageCount,
    pageCountText: pageCount === 1 ? '1 page' : `${pageCount} pages`,
    previousUrl: page.page > 1 ? urlFor(Math.min(page.page - 1, pageCount)) : undefined,
    nextUrl: page.page < pageCount ? urlFor(page.page + 1) : undefined,
    pages: sorted.flatMap((number, index) => {
      const link = { number, url: urlFor(number), current: number === page.page };
      const previous = sorted[index - 1];
      return previous !== undefined && number - previous > 1 ? [{ gap: true as const }, link] : [link];
    }),
  };
}

/** The selector's sizes, plus the current one when a link asked for another (the API allows any 1–100). */
export const pageSizeOptions = (current: number): { value: number; selected: boolean }[] =>
  [...new Set<number>([...PAGE_SIZES, current])]
    .sort((a, b) => a - b)
    .map((value) => ({ value, selected: value === current }));
