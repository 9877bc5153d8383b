import type { Request } from 'express';

/**
 * A `next` page that is surely on this site: a path starting with one `/` (not `//host` or `/\host`, which
 * browsers read as another origin) and no control characters; anything else becomes `/`.
 */
export function localPath(next: unknown): string {
  // Control characters are the point of this check: browsers strip some of them from URLs.
  // eslint-disable-next-line no-control-regex
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\u007f]/.test(next))
    return '/';
  return next;
}

/** The page a request was on: the URL itself for a GET, else the page that sent it (htmx names it). */
export function pageToReturnTo(request: Request): string {
  if (request.method === 'GET') return localPath(request.originalUrl);
  const current = request.get('HX-Current-URL');
  if (!current) return '/';
  try {
    const url = new URL(current);
    return localPath(`${url.pathname}${url.search}`);
  } catch {
    return '/';
  }
}
