import type { Request } from 'express';

/** A request made by htmx (not a history restore, which re-fetches the whole page without this header). */
export const isHtmx = (request: Request): boolean => request.get('HX-Request') === 'true';

/** A same-site path to go back to after a form post; anything else (other hosts, `//x`) falls back. */
export function safeReturnPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
