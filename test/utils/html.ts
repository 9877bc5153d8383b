import * as cheerio from 'cheerio';
import type { Response } from 'supertest';

export type Html = cheerio.CheerioAPI;

/** The header htmx sends with each of its requests: the pages answer a fragment. */
export const HTMX = { 'HX-Request': 'true' };

/** Parses an HTML response, asserting it is one. */
export function htmlOf(response: Response): Html {
  if (!String(response.headers['content-type']).startsWith('text/html')) {
    throw new Error(
      `Expected text/html, got ${String(response.headers['content-type'])}: ${response.text.slice(0, 200)}`,
    );
  }
  return cheerio.load(response.text);
}

/** Trimmed, whitespace-collapsed text of every match. */
export const textsOf = ($: Html, selector: string): string[] =>
  $(selector)
    .toArray()
    .map((element) => $(element).text().replace(/\s+/g, ' ').trim());

export const isFullPage = (response: Response): boolean => /^\s*<!doctype html>/i.test(response.text);

/** A `<tr>` fragment, parsed inside a table as the browser does when htmx swaps it into one. */
export function rowFragmentOf(response: Response): Html {
  htmlOf(response);
  return cheerio.load(`<table><tbody>${response.text}</tbody></table>`);
}
