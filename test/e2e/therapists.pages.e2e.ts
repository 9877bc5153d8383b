import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { createTherapist } from '../utils/factories.js';
import {
  attributeOf,
  controlTag,
  expectEscapedName,
  fieldErrorOf,
  hrefOf,
  htmlText,
  isFullPage,
  labelOf,
  SCRIPT_NAME,
} from '../utils/person-pages.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const HTMX = { 'HX-Request': 'true' };

// A therapist's own details and form; what the therapist and patient pages do alike is people.pages.e2e.ts's.
describe('therapist pages', () => {
  let t: TestApp;
  let ada: Therapist;

  beforeAll(async () => {
    t = await createTestApp();
    ada = await createTherapist(t.em(), { name: 'Ada Sessionful', specialty: 'Family therapy' });
  });
  afterAll(() => t.close());

  const stored = (id: number): Promise<Therapist> => t.em().findOneOrFail(Therapist, id);

  describe('GET /therapists/:id', () => {
    it("shows the therapist's details and an edit link", async () => {
      const response = await t.http.get(`/therapists/${ada.id}`).expect(200);
      const html = htmlText(response);
      expect(html).toContain('<h1>Ada Sessionful</h1>');
      expect(html).toContain(`<a href="mailto:${ada.email}">${ada.email}</a>`);
      expect(html).toContain('<dd>Family therapy</dd>');
      expect(html).toMatch(
        new RegExp(`<a role="button" class="secondary" href="/therapists/${ada.id}/edit">Edit`),
      );
      expect(hrefOf(html, 'Book a session')).toBe(`/sessions/new?therapist_id=${ada.id}`);
    });
  });

  describe('new therapist form', () => {
    it('shows each error next to its field and keeps the input (400)', async () => {
      const response = await t.http
        .post('/therapists')
        .type('form')
        .send({ name: '   ', email: 'not an address', specialty: 'Art therapy' })
        .expect(400);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(true);
      expect(html).toContain('The therapist was not added.');
      const name = controlTag(html, 'name');
      expect(attributeOf(name, 'aria-invalid')).toBe('true');
      expect(attributeOf(name, 'aria-describedby')).toBe('name-error');
      expect(labelOf(html, 'name')).toContain(
        "<small id='name-error' class='field-error'>Name must be between 1 and 200 characters</small>",
      );
      const email = controlTag(html, 'email');
      expect(attributeOf(email, 'value')).toBe('not an address');
      expect(attributeOf(email, 'aria-describedby')).toBe('email-error');
      expect(labelOf(html, 'email')).toContain('E-mail must be a valid e-mail address');
      const specialty = controlTag(html, 'specialty');
      expect(attributeOf(specialty, 'value')).toBe('Art therapy');
      expect(attributeOf(specialty, 'aria-invalid')).toBeUndefined();
      expect(fieldErrorOf(html, 'specialty')).toBeUndefined();
    });

    it('answers htmx with only the form, errors included (400)', async () => {
      const response = await t.http
        .post('/therapists')
        .set(HTMX)
        .type('form')
        .send({ name: 'Half Done', email: '', specialty: '' })
        .expect(400);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(false);
      expect(html.trimStart()).toMatch(/^<form id="therapist-form"/);
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Half Done');
      expect(fieldErrorOf(html, 'email')).toBe('E-mail must be a valid e-mail address');
    });

    it('creates the therapist and redirects to the new page (303)', async () => {
      const response = await t.http
        .post('/therapists')
        .type('form')
        .send({ name: '  Nora New  ', email: 'Nora.New@Pages.Example', specialty: '' })
        .expect(303);
      const created = await t.em().findOneOrFail(Therapist, { email: 'nora.new@pages.example' });
      expect(created).toMatchObject({ name: 'Nora New', specialty: null });
      expect(response.headers.location).toBe(`/therapists/${created.id}`);
      const page = htmlText(await t.http.get(`/therapists/${created.id}`).expect(200));
      expect(page).toContain('<h1>Nora New</h1>');
    });

    it('tells htmx to navigate to the new page (HX-Redirect)', async () => {
      const response = await t.http
        .post('/therapists')
        .set(HTMX)
        .type('form')
        .send({ name: 'Hana Htmx', email: 'hana@pages.example', specialty: 'CBT' })
        .expect(200);
      const created = await t.em().findOneOrFail(Therapist, { email: 'hana@pages.example' });
      expect(response.headers['hx-redirect']).toBe(`/therapists/${created.id}`);
      expect(created.specialty).toBe('CBT');
    });
  });

  describe('edit therapist form', () => {
    let ed: Therapist;

    beforeAll(async () => {
      ed = await createTherapist(t.em(), { name: 'Ed Editable', specialty: 'Play therapy' });
    });

    it('shows the stored values', async () => {
      const html = htmlText(await t.http.get(`/therapists/${ed.id}/edit`).expect(200));
      expect(html).toContain('<h1>Edit Ed Editable</h1>');
      expect(html).toMatch(new RegExp(`<form id="therapist-form"[^>]*action="/therapists/${ed.id}"`));
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Ed Editable');
      expect(attributeOf(controlTag(html, 'email'), 'value')).toBe(ed.email);
      expect(attributeOf(controlTag(html, 'specialty'), 'value')).toBe('Play therapy');
      expect(hrefOf(html, 'Cancel')).toBe(`/therapists/${ed.id}`);
    });

    it('saves every field, clears an emptied one, and redirects to the page (303)', async () => {
      const response = await t.http
        .post(`/therapists/${ed.id}`)
        .type('form')
        .send({ name: 'Ed Edited', email: 'ed.edited@pages.example', specialty: '' })
        .expect(303);
      expect(response.headers.location).toBe(`/therapists/${ed.id}`);
      expect(await stored(ed.id)).toMatchObject({
        name: 'Ed Edited',
        email: 'ed.edited@pages.example',
        specialty: null,
      });
    });

    it('tells htmx to navigate to the page after saving (HX-Redirect)', async () => {
      const response = await t.http
        .post(`/therapists/${ed.id}`)
        .set(HTMX)
        .type('form')
        .send({ name: 'Ed Edited', email: 'ed.edited@pages.example', specialty: 'Drama therapy' })
        .expect(200);
      expect(response.headers['hx-redirect']).toBe(`/therapists/${ed.id}`);
      expect((await stored(ed.id)).specialty).toBe('Drama therapy');
    });

    it('shows errors next to their fields, keeps the input and changes nothing (400)', async () => {
      const response = await t.http
        .post(`/therapists/${ed.id}`)
        .type('form')
        .send({ name: '', email: 'still.valid@pages.example', specialty: 'x'.repeat(201) })
        .expect(400);
      const html = htmlText(response);
      expect(html).toContain('<h1>Edit Ed Edited</h1>');
      expect(fieldErrorOf(html, 'name')).toBe('Name must be between 1 and 200 characters');
      expect(fieldErrorOf(html, 'specialty')).toBe('Specialty must be at most 200 characters');
      expect(attributeOf(controlTag(html, 'email'), 'value')).toBe('still.valid@pages.example');
      expect(attributeOf(controlTag(html, 'email'), 'aria-invalid')).toBeUndefined();
      expect((await stored(ed.id)).email).toBe('ed.edited@pages.example');
    });
  });

  describe('a therapist named <script>alert(1)</script>', () => {
    it('is escaped when a form with it is shown again', async () => {
      const response = await t.http
        .post('/therapists')
        .type('form')
        .send({ name: SCRIPT_NAME, email: 'bad', specialty: SCRIPT_NAME })
        .expect(400);
      const html = htmlText(response);
      expectEscapedName(html);
      expect(html).not.toContain(SCRIPT_NAME);
    });
  });
});
