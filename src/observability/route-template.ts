import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

/** What logs and metrics call a request that no route matched (static files, 404s, body-parser failures). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route's template (`/api/sessions/:id`), never the raw URL: ids would make every URL its own metric
 * series, and a raw URL may carry a patient's name in its query string.
 */
export function routeTemplate(request: IncomingMessage): string {
  // Express sets `route` (typed `any`) once a route matched; Nest's routes sit on the app's own router.
  const { route, baseUrl } = request as Omit<Partial<Request>, 'route'> & { route?: { path?: unknown } };
  const path = route?.path;
  return typeof path === 'string' ? `${baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}

/** The path without its query string (which carries search terms such as patient names). */
export function pathOf(request: IncomingMessage): string {
  const url = (request as Partial<Request>).originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export const isHealthProbe = (request: IncomingMessage): boolean => pathOf(request).startsWith('/health/');
