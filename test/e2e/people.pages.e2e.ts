import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PERSON_KINDS, type PersonRecord } from '../utils/people.js';
import {
  attributeOf,
  controlTag,
  ESCAPED_SCRIPT_NAME,
  expectEscapedName,
  hrefOf,
  htmlText,
  isFullPage,
  rowIds,
  SCRIPT_NAME,
  sessionSection,
  sortedColumn,
  varyOf,
} from '../utils/person-pages.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const DAY = 24 * 60 * 60 * 1000;
const HTMX = { 'HX-Request': 'true' };

// What the therapist and patient pages do alike (their sessions: person-sessions.pages.e2e.ts); each kind's own
// details and form are tested in its own suite.
describe('therapist and patient pages', () => {
  const idsOf = (records: { id: number }[]): number[] => records.map((record) => record.id);
  const byName = (a: PersonRecord, b: PersonRecord): number => a.name.localeCompare(b.name);

  describe.each(PERSON_KINDS)('%s', (plural, kind) => {
    // An app of each kind's own: the other kind's people made here (with the same names) stay out of its lists.
    let t: TestApp;
    const { path, noun } = kind;
    const other = kind.other();
    const Plural = `${plural.charAt(0).toUpperCase()}${plural.slice(1)}`;
    // Twelve people only `q=listed` matches: names sort one way, e-mail addresses the other, and the days they
    // were added in a third order.
    const listed: PersonRecord[] = [];
    let sessionful: PersonRecord;
    let hostile: PersonRecord;
    let hostileOther: PersonRecord;

    beforeAll(async () => {
      t = await createTestApp();
      const em = t.em();
      for (let n = 1; n <= 12; n++) {
        const nn = String(n).padStart(2, '0');
        listed.push(
          await kind.create(em, {
            name: `Listed ${nn}`,
            email: `listed-${String(13 - n).padStart(2, '0')}@pages.example`,
            createdAt: new Date(Date.UTC(2024, 0, ((n * 5) % 12) + 1)),
          }),
        );
      }
      sessionful = await kind.create(em, { name: 'Sessionful Person' });
      const now = Date.now();
      hostile = await kind.create(em, { name: SCRIPT_NAME, email: `hostile@pages.example` });
      hostileOther = await other.create(em, { name: SCRIPT_NAME });
      for (const days of [1, -1]) await kind.book(em, hostile, hostileOther, new Date(now + days * DAY));
    });

    afterAll(() => t.close());

    const sessionsOf = async (person: PersonRecord, htmx = false): Promise<string> => {
      const request = t.http.get(`${path}/${person.id}/sessions`);
      return htmlText(await (htmx ? request.set(HTMX) : request).expect(200));
    };

    describe(`GET ${path}`, () => {
      it('renders the whole page for a normal request, with the list in #results', async () => {
        const response = await t.http.get(path).expect(200);
        const html = htmlText(response);
        expect(isFullPage(html)).toBe(true);
        expect(varyOf(response)).toContain('hx-request');
        expect(html).toContain(`<title>${Plural} · `);
        expect(html).toContain(`<a href="${path}" aria-current="page">${Plural}</a>`);
        expect(html).toContain('<div id="results" class="results">');
        expect(html).toMatch(new RegExp(`<form id="filters"[^>]*method="get" action="${path}"`));
        expect(rowIds(html, noun).length).toBeGreaterThan(0);
      });

      it('renders only the #results fragment for htmx', async () => {
        const response = await t.http.get(`${path}?q=listed`).set(HTMX).expect(200);
        const html = htmlText(response);
        expect(isFullPage(html)).toBe(false);
        expect(html).not.toContain('<form id="filters"');
        expect(varyOf(response)).toContain('hx-request');
        expect(rowIds(html, noun)).toEqual(idsOf([...listed].sort(byName)));
      });

      it('searches names and e-mail addresses, and keeps the search text in the box', async () => {
        const nameHit = htmlText(await t.http.get(`${path}?q=sessionFUL`).expect(200));
        expect(rowIds(nameHit, noun)).toEqual([sessionful.id]);
        expect(attributeOf(controlTag(nameHit, 'q'), 'value')).toBe('sessionFUL');
        const byEmail = htmlText(await t.http.get(`${path}?q=listed-03@`).expect(200));
        expect(rowIds(byEmail, noun)).toEqual([listed[9]?.id]);
      });

      it('sorts by a column, marks it with aria-sort, and links its header to the other order', async () => {
        const html = htmlText(await t.http.get(`${path}?q=listed&sort=email&order=desc`).expect(200));
        const byEmailDescending = [...listed].sort((a, b) => (b.email ?? '').localeCompare(a.email ?? ''));
        expect(rowIds(html, noun)).toEqual(idsOf(byEmailDescending));
        expect(sortedColumn(html)).toEqual([{ label: 'E-mail', order: 'descending' }]);
        expect(hrefOf(html, 'E-mail ▼')).toBe(`${path}?q=listed&sort=email`);
        expect(hrefOf(html, 'Name')).toBe(`${path}?q=listed`);
        // The hidden sort fields keep the order when the search changes.
        expect(html).toContain('<input type="hidden" name="sort" value="email" form="filters">');
        expect(html).toContain('<input type="hidden" name="order" value="desc" form="filters">');

        const ascending = htmlText(await t.http.get(`${path}?q=listed&sort=email`).expect(200));
        expect(rowIds(ascending, noun)).toEqual(idsOf([...byEmailDescending].reverse()));
        expect(sortedColumn(ascending)).toEqual([{ label: 'E-mail', order: 'ascending' }]);
        expect(hrefOf(ascending, 'E-mail ▲')).toBe(`${path}?q=listed&sort=email&order=desc`);
        expect(hrefOf(ascending, 'Added')).toBe(`${path}?q=listed&sort=created_at`);
      });

      it('sorts by the day each person was added, either way', async () => {
        const html = htmlText(await t.http.get(`${path}?q=listed&sort=created_at`).expect(200));
        const byCreated = [...listed].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        expect(rowIds(html, noun)).toEqual(idsOf(byCreated));
        expect(sortedColumn(html)).toEqual([{ label: 'Added', order: 'ascending' }]);
        const latest = htmlText(await t.http.get(`${path}?q=listed&sort=created_at&order=desc`).expect(200));
        expect(rowIds(latest, noun)).toEqual(idsOf([...byCreated].reverse()));
        expect(sortedColumn(latest)).toEqual([{ label: 'Added', order: 'descending' }]);
      });

      it('applies the page size, shows the total, and links to the next page', async () => {
        const sorted = [...listed].sort(byName);
        const html = htmlText(await t.http.get(`${path}?q=listed&page_size=10`).expect(200));
        expect(rowIds(html, noun)).toEqual(idsOf(sorted.slice(0, 10)));
        expect(html).toContain('Showing 1–10 of 12');
        expect(html).toMatch(/<option value="10" selected>10<\/option>/);
        expect(hrefOf(html, 'Next')).toBe(`${path}?q=listed&page=2&page_size=10`);

        const second = htmlText(await t.http.get(`${path}?q=listed&page=2&page_size=10`).expect(200));
        expect(rowIds(second, noun)).toEqual(idsOf(sorted.slice(10)));
        expect(second).toContain('Showing 11–12 of 12');
        expect(hrefOf(second, 'Previous')).toBe(`${path}?q=listed&page_size=10`);
      });

      it('offers the page sizes 10, 25, 50 and 100', async () => {
        const html = htmlText(await t.http.get(path).expect(200));
        const select = /<select name="page_size">([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
        expect([...select.matchAll(/<option value="(\d+)"/g)].map((match) => match[1])).toEqual([
          '10',
          '25',
          '50',
          '100',
        ]);
      });

      it('says so when nothing matches, and offers to clear the search', async () => {
        const html = htmlText(await t.http.get(`${path}?q=nobody-at-all`).expect(200));
        expect(rowIds(html, noun)).toEqual([]);
        expect(html).toContain(`No ${plural} match “nobody-at-all”.`);
        expect(hrefOf(html, 'Clear the search')).toBe(path);
      });

      it('links back to the first page when asked for a page past the end', async () => {
        const html = htmlText(await t.http.get(`${path}?q=listed&page=9`).expect(200));
        expect(rowIds(html, noun)).toEqual([]);
        expect(hrefOf(html, 'Go to the first page')).toBe(`${path}?q=listed`);
      });

      it.each([
        ['sort=age', 'sort must be one of the following values: name, email, created_at'],
        ['sort=phone', 'sort must be one of the following values: name, email, created_at'],
        ['page_size=500', 'page_size must not be greater than 100'],
        ['page_size=0', 'page_size must not be less than 1'],
        ['page=0', 'page must not be less than 1'],
        ['order=up', 'order must be one of the following values: asc, desc'],
        ['order=random', 'order must be one of the following values: asc, desc'],
      ])('answers %s with 400 and the message on the page', async (query, message) => {
        const response = await t.http.get(`${path}?q=keep&${query}`).expect(400);
        const html = htmlText(response);
        expect(isFullPage(html)).toBe(true);
        expect(html).toContain('This search cannot be applied:');
        expect(html).toContain(`<li>${message}</li>`);
        expect(attributeOf(controlTag(html, 'q'), 'value')).toBe('keep');
        expect(rowIds(html, noun)).toEqual([]);

        const fragment = await t.http.get(`${path}?${query}`).set(HTMX).expect(400);
        expect(isFullPage(fragment.text)).toBe(false);
        expect(fragment.text).toContain(`<li>${message}</li>`);
      });
    });

    describe('a person named <script>alert(1)</script>', () => {
      it.each([
        ['the list', () => `${path}?q=alert`, false],
        ['the list fragment', () => `${path}?q=alert`, true],
        ['the detail page', () => `${path}/${hostile.id}`, false],
        ['the sessions, with someone of the same name', () => `${path}/${hostile.id}/sessions`, false],
        ['the edit form', () => `${path}/${hostile.id}/edit`, false],
      ])('is escaped on %s', async (_page, url, htmx) => {
        const request = t.http.get(url());
        const html = htmlText(await (htmx ? request.set(HTMX) : request).expect(200));
        expectEscapedName(html);
      });

      it('is listed, and kept as the value of its field', async () => {
        expect(rowIds(htmlText(await t.http.get(`${path}?q=alert`).expect(200)), noun)).toEqual([hostile.id]);
        const form = htmlText(await t.http.get(`${path}/${hostile.id}/edit`).expect(200));
        expect(attributeOf(controlTag(form, 'name'), 'value')).toBe(ESCAPED_SCRIPT_NAME);
      });

      it('is escaped in the sessions of the other person, both upcoming and past', async () => {
        const page = await sessionsOf(hostile);
        expectEscapedName(page);
        for (const section of ['upcoming', 'past'] as const) {
          expect(sessionSection(page, section)).toContain(
            `<a href="${other.path}/${hostileOther.id}">${ESCAPED_SCRIPT_NAME}</a>`,
          );
        }
      });

      it('is escaped in the search box', async () => {
        const html = htmlText(await t.http.get(`${path}?q=${encodeURIComponent(SCRIPT_NAME)}`).expect(200));
        expectEscapedName(html);
      });
    });
  });
});
