import type { Response } from 'supertest';

// Small readers for the therapist and patient pages' HTML: the markup is the app's own, so a few exact patterns
// are enough and keep these tests free of an HTML parser.

export const SCRIPT_NAME = '<script>alert(1)</script>';
export const ESCAPED_SCRIPT_NAME = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** Asserts an HTML response and returns its text. */
export function htmlText(response: Response): string {
  const type = String(response.headers['content-type']);
  if (!type.startsWith('text/html')) {
    throw new Error(`Expected text/html, got ${type}: ${response.text.slice(0, 200)}`);
  }
  return response.text;
}

export const isFullPage = (html: string): boolean => /<html[\s>]/i.test(html);

export const varyOf = (response: Response): string[] =>
  (response.get('Vary') ?? '').split(',').map((name) => name.trim().toLowerCase());

/** The ids of the list rows, in order: `<tr id="therapist-7">` → 7. */
export function rowIds(html: string, prefix: 'therapist' | 'patient'): number[] {
  return [...html.matchAll(new RegExp(`<tr id="${prefix}-(\\d+)"`, 'g'))].map((match) => Number(match[1]));
}

/** The one `<input>` (or `<textarea>`/`<select>` opening tag) with this name. */
export function controlTag(html: string, name: string): string {
  const tags = [
    ...html.matchAll(new RegExp(`<(?:input|select|textarea)\\b[^>]*\\bname="${name}"[^>]*>`, 'g')),
  ];
  if (tags.length !== 1) throw new Error(`Expected one control named ${name}, found ${tags.length}`);
  return tags[0]?.[0] ?? '';
}

export function attributeOf(tag: string, attribute: string): string | undefined {
  return new RegExp(`\\s${attribute}="([^"]*)"`).exec(tag)?.[1];
}

/** The message the `field_error` partial shows for a field, if any. */
export function fieldErrorOf(html: string, field: string): string | undefined {
  return new RegExp(`<small id='${field}-error' class='field-error'>([^<]*)</small>`).exec(html)?.[1];
}

/** The `<label>` that wraps a control, so a message can be checked to sit next to its own field. */
export function labelOf(html: string, name: string): string {
  const label = [...html.matchAll(/<label>[\s\S]*?<\/label>/g)]
    .map((match) => match[0])
    .find((text) => text.includes(`name="${name}"`));
  if (!label) throw new Error(`No label wraps the control named ${name}`);
  return label;
}

/** The markup of one of a person's session lists (`upcoming` or `past`). */
export function sessionSection(html: string, id: 'upcoming' | 'past'): string {
  const start = html.indexOf(`<section class="person-sessions" aria-labelledby="${id}-heading">`);
  if (start < 0) throw new Error(`No ${id} sessions section`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The session ids a section links to, in order. */
export const sessionIdsIn = (section: string): number[] =>
  [...section.matchAll(/<a href="\/sessions\/(\d+)">/g)].map((match) => Number(match[1]));

const ENTITIES: Record<string, string> = { '&amp;': '&', '&#x3D;': '=', '&quot;': '"', '&#x27;': "'" };

/** An attribute value as the browser reads it (Handlebars escapes `&` and `=` in URLs). */
export const decodeAttribute = (value: string): string =>
  value.replace(/&amp;|&#x3D;|&quot;|&#x27;/g, (entity) => ENTITIES[entity] ?? entity);

/** The `href` of the link whose text is `text`. */
export function hrefOf(html: string, text: string): string | undefined {
  for (const match of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)) {
    if (match[2]?.replace(/<[^>]*>/g, '').trim() === text) return decodeAttribute(match[1] ?? '');
  }
  return undefined;
}

/** Asserts the hostile name shows only escaped, as text, and never as markup. */
export function expectEscapedName(html: string): void {
  if (html.includes(SCRIPT_NAME)) throw new Error('The name is rendered as markup');
  if (!html.includes(ESCAPED_SCRIPT_NAME)) throw new Error('The escaped name is missing');
}

/** The column header carrying `aria-sort`, and the order it announces. */
export function sortedColumn(html: string): { label: string; order: string }[] {
  return [...html.matchAll(/<th scope="col" aria-sort="(\w+)">\s*<a\b[^>]*>([^<]*)/g)].map((match) => ({
    label: (match[2] ?? '').trim(),
    order: match[1] ?? '',
  }));
}
