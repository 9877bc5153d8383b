import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PERSON_KINDS, type PersonRecord } from '../utils/people.js';
import {
  attributeOf,
  controlTag,
  fieldErrorOf,
  htmlText,
  isFullPage,
  labelOf,
} from '../utils/person-pages.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const HTMX = { 'HX-Request': 'true' };

// The therapist and patient forms alike; each kind's fields, their messages and what is stored are its own suite's.
describe('therapist and patient forms', () => {
  describe.each(PERSON_KINDS)('%s', (_plural, kind) => {
    let t: TestApp;
    const { path, noun } = kind;
    let taken: PersonRecord;

    beforeAll(async () => {
      t = await createTestApp();
      taken = await kind.create(t.em(), { name: 'Taken Address' });
    });
    afterAll(() => t.close());

    const takenEmail = (): string => taken.email ?? '';
    const post = (url: string, body: Record<string, string>, htmx = false) => {
      const request = t.http.post(url);
      return (htmx ? request.set(HTMX) : request).type('form').send(body);
    };

    describe(`new ${noun} form`, () => {
      it(`shows an empty form that posts to ${path}, every control labelled`, async () => {
        const html = htmlText(await t.http.get(`${path}/new`).expect(200));
        expect(html).toContain(`<title>New ${noun} · `);
        expect(html).toMatch(
          new RegExp(
            `<form id="${noun}-form"[^>]*method="post" action="${path}"[^>]*\\s+hx-post="${path}" hx-target="this" hx-swap="outerHTML" hx-disable="find button\\[type=submit\\]">`,
          ),
        );
        for (const name of kind.formFields) {
          expect(labelOf(html, name)).toContain(`name="${name}"`);
          expect(attributeOf(controlTag(html, name), 'value')).toBe('');
        }
      });

      it('shows a taken e-mail address on its field (409) and creates nothing', async () => {
        const before = await kind.count(t.em());
        const response = await post(path, kind.formBody('Copy Cat', takenEmail().toUpperCase())).expect(409);
        const html = htmlText(response);
        const email = controlTag(html, 'email');
        expect(attributeOf(email, 'aria-invalid')).toBe('true');
        expect(attributeOf(email, 'value')).toBe(takenEmail().toUpperCase());
        expect(fieldErrorOf(html, 'email')).toBe(`E-mail is already used by another ${noun}`);
        expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Copy Cat');
        expect(await kind.count(t.em())).toBe(before);
      });
    });

    describe(`edit ${noun} form`, () => {
      let ed: PersonRecord;

      beforeAll(async () => {
        ed = await kind.create(t.em(), { name: 'Ed Stored' });
      });

      it(`refuses another ${noun}'s e-mail address on the field (409), keeping the stored name`, async () => {
        const response = await post(
          `${path}/${ed.id}`,
          kind.formBody('Renamed Meanwhile', takenEmail()),
        ).expect(409);
        const html = htmlText(response);
        expect(html).toContain('<h1>Edit Ed Stored</h1>');
        expect(fieldErrorOf(html, 'email')).toBe(`E-mail is already used by another ${noun}`);
        expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Renamed Meanwhile');
        expect(await kind.find(t.em(), ed.id)).toMatchObject({ name: 'Ed Stored', email: ed.email });
      });

      it('answers htmx with only the form on a conflict (409)', async () => {
        const response = await post(
          `${path}/${ed.id}`,
          kind.formBody('Ed Stored', takenEmail()),
          true,
        ).expect(409);
        expect(isFullPage(response.text)).toBe(false);
        expect(response.text.trimStart()).toMatch(new RegExp(`^<form id="${noun}-form"`));
        expect(fieldErrorOf(response.text, 'email')).toBe(`E-mail is already used by another ${noun}`);
      });

      it.each([
        ['valid', 'Nobody', 'nobody@pages.example'],
        ['invalid', '', ''],
      ])('answers an unknown id with a 404 page, even with %s input', async (_label, name, email) => {
        const response = await post(`${path}/2147483000`, kind.formBody(name, email)).expect(404);
        expect(htmlText(response)).toContain(`${kind.Noun} 2147483000 does not exist.`);
      });
    });
  });
});
