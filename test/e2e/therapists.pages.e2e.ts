import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Session } from '../../src/sessions/session.entity.js';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import {
  attributeOf,
  controlTag,
  ESCAPED_SCRIPT_NAME,
  expectEscapedName,
  fieldErrorOf,
  hrefOf,
  htmlText,
  isFullPage,
  labelOf,
  rowIds,
  SCRIPT_NAME,
  sessionIdsIn,
  sessionSection,
  sortedColumn,
  varyOf,
} from '../utils/person-pages.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const DAY = 24 * 60 * 60 * 1000;
const HTMX = { 'HX-Request': 'true' };

describe('therapist pages', () => {
  let t: TestApp;
  // Twelve therapists only `q=listed` matches: names sort one way, e-mail addresses the other, and the days
  // they were added in a third order.
  const listed: Therapist[] = [];
  let ada: Therapist;
  let cleo: Patient;
  let upcoming: Session[];
  let past: Session[];
  let hostile: Therapist;

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    for (let n = 1; n <= 12; n++) {
      const nn = String(n).padStart(2, '0');
      listed.push(
        await createTherapist(em, {
          name: `Listed ${nn}`,
          email: `listed-${String(13 - n).padStart(2, '0')}@pages.example`,
          createdAt: new Date(Date.UTC(2024, 0, ((n * 5) % 12) + 1)),
        }),
      );
    }
    ada = await createTherapist(em, { name: 'Ada Sessionful', specialty: 'Family therapy' });
    cleo = await createPatient(em, { name: 'Cleo Patient' });
    const now = Date.now();
    upcoming = [];
    // Created out of order, so the page has to sort them.
    for (const days of [12, 3, 7, 1, 9, 2, 11, 5, 4, 10, 6, 8]) {
      upcoming.push(
        await createSession(em, { therapist: ada, patient: cleo, startsAt: new Date(now + days * DAY) }),
      );
    }
    past = [];
    for (const days of [20, 2, 9]) {
      past.push(
        await createSession(em, { therapist: ada, patient: cleo, startsAt: new Date(now - days * DAY) }),
      );
    }
    hostile = await createTherapist(em, { name: SCRIPT_NAME, email: 'hostile@pages.example' });
    const hostilePatient = await createPatient(em, { name: SCRIPT_NAME });
    await createSession(em, {
      therapist: hostile,
      patient: hostilePatient,
      startsAt: new Date(now + DAY),
    });
  });
  afterAll(() => t.close());

  const byName = (a: Therapist, b: Therapist): number => a.name.localeCompare(b.name);
  const idsOf = (records: { id: number }[]): number[] => records.map((record) => record.id);
  const stored = (id: number): Promise<Therapist> => t.em().findOneOrFail(Therapist, id);

  describe('GET /therapists', () => {
    it('renders the whole page for a normal request, with the list in #results', async () => {
      const response = await t.http.get('/therapists').expect(200);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(true);
      expect(varyOf(response)).toContain('hx-request');
      expect(html).toContain('<title>Therapists · ');
      expect(html).toMatch(/<a href="\/therapists" aria-current="page">Therapists<\/a>/);
      expect(html).toContain('<div id="results" class="results">');
      expect(html).toMatch(/<form id="filters"[^>]*method="get" action="\/therapists"/);
      expect(rowIds(html, 'therapist').length).toBeGreaterThan(0);
    });

    it('renders only the #results fragment for htmx', async () => {
      const response = await t.http.get('/therapists?q=listed').set(HTMX).expect(200);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(false);
      expect(html).not.toContain('<form id="filters"');
      expect(varyOf(response)).toContain('hx-request');
      expect(rowIds(html, 'therapist')).toEqual(idsOf([...listed].sort(byName)));
    });

    it('searches names and e-mail addresses, and keeps the search text in the box', async () => {
      const nameHit = htmlText(await t.http.get('/therapists?q=sessionFUL').expect(200));
      expect(rowIds(nameHit, 'therapist')).toEqual([ada.id]);
      expect(attributeOf(controlTag(nameHit, 'q'), 'value')).toBe('sessionFUL');
      const byEmail = htmlText(await t.http.get('/therapists?q=listed-03@').expect(200));
      expect(rowIds(byEmail, 'therapist')).toEqual([listed[9]?.id]);
    });

    it('sorts by a column, marks it with aria-sort, and links its header to the other order', async () => {
      const html = htmlText(await t.http.get('/therapists?q=listed&sort=email&order=desc').expect(200));
      const byEmailDescending = [...listed].sort((a, b) => b.email.localeCompare(a.email));
      expect(rowIds(html, 'therapist')).toEqual(idsOf(byEmailDescending));
      expect(sortedColumn(html)).toEqual([{ label: 'E-mail', order: 'descending' }]);
      expect(hrefOf(html, 'E-mail ▼')).toBe('/therapists?q=listed&sort=email');
      expect(hrefOf(html, 'Name')).toBe('/therapists?q=listed');
      // The hidden sort fields keep the order when the search changes.
      expect(html).toContain('<input type="hidden" name="sort" value="email" form="filters">');
      expect(html).toContain('<input type="hidden" name="order" value="desc" form="filters">');
    });

    it('sorts by the day each therapist was added', async () => {
      const html = htmlText(await t.http.get('/therapists?q=listed&sort=created_at').expect(200));
      const byCreated = [...listed].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      expect(rowIds(html, 'therapist')).toEqual(idsOf(byCreated));
      expect(sortedColumn(html)).toEqual([{ label: 'Added', order: 'ascending' }]);
    });

    it('applies the page size, shows the total, and links to the next page', async () => {
      const sorted = [...listed].sort(byName);
      const html = htmlText(await t.http.get('/therapists?q=listed&page_size=10').expect(200));
      expect(rowIds(html, 'therapist')).toEqual(idsOf(sorted.slice(0, 10)));
      expect(html).toContain('Showing 1–10 of 12');
      expect(html).toMatch(/<option value="10" selected>10<\/option>/);
      expect(hrefOf(html, 'Next')).toBe('/therapists?q=listed&page=2&page_size=10');

      const second = htmlText(await t.http.get('/therapists?q=listed&page=2&page_size=10').expect(200));
      expect(rowIds(second, 'therapist')).toEqual(idsOf(sorted.slice(10)));
      expect(second).toContain('Showing 11–12 of 12');
      expect(hrefOf(second, 'Previous')).toBe('/therapists?q=listed&page_size=10');
    });

    it('offers the page sizes 10, 25, 50 and 100', async () => {
      const html = htmlText(await t.http.get('/therapists').expect(200));
      const select = /<select name="page_size">([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
      expect([...select.matchAll(/<option value="(\d+)"/g)].map((match) => match[1])).toEqual([
        '10',
        '25',
        '50',
        '100',
      ]);
    });

    it('says so when nothing matches, and offers to clear the search', async () => {
      const html = htmlText(await t.http.get('/therapists?q=nobody-at-all').expect(200));
      expect(rowIds(html, 'therapist')).toEqual([]);
      expect(html).toContain('No therapists match “nobody-at-all”.');
      expect(hrefOf(html, 'Clear the search')).toBe('/therapists');
    });

    it('links back to the first page when asked for a page past the end', async () => {
      const html = htmlText(await t.http.get('/therapists?q=listed&page=9').expect(200));
      expect(rowIds(html, 'therapist')).toEqual([]);
      expect(hrefOf(html, 'Go to the first page')).toBe('/therapists?q=listed');
    });

    it.each([
      ['sort=age', 'sort must be one of the following values: name, email, created_at'],
      ['page_size=500', 'page_size must not be greater than 100'],
      ['page=0', 'page must not be less than 1'],
      ['order=up', 'order must be one of the following values: asc, desc'],
    ])('answers %s with 400 and the message on the page', async (query, message) => {
      const response = await t.http.get(`/therapists?q=keep&${query}`).expect(400);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(true);
      expect(html).toContain('This search cannot be applied:');
      expect(html).toContain(`<li>${message}</li>`);
      expect(attributeOf(controlTag(html, 'q'), 'value')).toBe('keep');
      expect(rowIds(html, 'therapist')).toEqual([]);

      const fragment = await t.http.get(`/therapists?${query}`).set(HTMX).expect(400);
      expect(isFullPage(fragment.text)).toBe(false);
      expect(fragment.text).toContain(`<li>${message}</li>`);
    });
  });

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

    it('loads its sessions from the sessions pages, with a link to them without JavaScript', async () => {
      const html = htmlText(await t.http.get(`/therapists/${ada.id}`).expect(200));
      expect(html).toContain(
        `<div id="person-sessions" hx-get="/therapists/${ada.id}/sessions" hx-trigger="load" hx-swap="outerHTML">`,
      );
      expect(hrefOf(html, 'Sessions of Ada Sessionful')).toBe(`/therapists/${ada.id}/sessions`);
    });

    it('answers the sessions as a fragment for htmx and as a page of their own otherwise', async () => {
      const fragment = await t.http.get(`/therapists/${ada.id}/sessions`).set(HTMX).expect(200);
      expect(isFullPage(htmlText(fragment))).toBe(false);
      expect(fragment.text.trimStart()).toMatch(/^<div id="person-sessions">/);
      expect(varyOf(fragment)).toContain('hx-request');
      const page = htmlText(await t.http.get(`/therapists/${ada.id}/sessions`).expect(200));
      expect(isFullPage(page)).toBe(true);
      expect(page).toContain('<title>Sessions of Ada Sessionful · ');
      expect(page).toMatch(/<a href="\/therapists" aria-current="page">Therapists<\/a>/);
      expect(hrefOf(page, 'Ada Sessionful')).toBe(`/therapists/${ada.id}`);
      expect(sessionSection(page, 'upcoming')).toContain('The next 10 of 12');
    });

    it('lists the next ten sessions, soonest first, and links to all of them', async () => {
      const html = htmlText(await t.http.get(`/therapists/${ada.id}/sessions`).set(HTMX).expect(200));
      const section = sessionSection(html, 'upcoming');
      const soonestFirst = [...upcoming].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      expect(sessionIdsIn(section)).toEqual(idsOf(soonestFirst.slice(0, 10)));
      expect(section).toContain('The next 10 of 12');
      expect(section).toContain(`<a href="/patients/${cleo.id}">Cleo Patient</a>`);
      expect(section).toContain("<span class='badge badge-scheduled'>Scheduled</span>");
      const today = new Date().toISOString().slice(0, 10);
      expect(hrefOf(section, 'All sessions from today on')).toBe(
        `/sessions?therapist_id=${ada.id}&from=${today}`,
      );
    });

    it('lists the past sessions, latest first', async () => {
      const html = htmlText(await t.http.get(`/therapists/${ada.id}/sessions`).set(HTMX).expect(200));
      const section = sessionSection(html, 'past');
      const latestFirst = [...past].sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
      expect(sessionIdsIn(section)).toEqual(idsOf(latestFirst));
      expect(section).not.toContain('The latest');
      const today = new Date().toISOString().slice(0, 10);
      expect(hrefOf(section, 'All sessions up to today, latest first')).toBe(
        `/sessions?therapist_id=${ada.id}&to=${today}&order=desc`,
      );
    });

    it('says so when a therapist has no sessions', async () => {
      const html = htmlText(await t.http.get(`/therapists/${listed[0]?.id}/sessions`).expect(200));
      expect(sessionSection(html, 'upcoming')).toContain('No upcoming sessions.');
      expect(sessionSection(html, 'past')).toContain('No past sessions.');
    });

    it.each(['/therapists/2147483000', '/therapists/2147483000/edit', '/therapists/2147483000/sessions'])(
      'answers an unknown id (%s) with a 404 page',
      async (path) => {
        const response = await t.http.get(path).expect(404);
        const html = htmlText(response);
        expect(isFullPage(html)).toBe(true);
        expect(html).toContain('Therapist 2147483000 does not exist.');
      },
    );

    it('answers a malformed id with a 400 page', async () => {
      const html = htmlText(await t.http.get('/therapists/abc').expect(400));
      expect(html).toContain('id must be a positive integer id');
    });
  });

  describe('new therapist form', () => {
    it('shows an empty form that posts to /therapists', async () => {
      const html = htmlText(await t.http.get('/therapists/new').expect(200));
      expect(html).toContain('<title>New therapist · ');
      expect(html).toMatch(
        /<form id="therapist-form"[^>]*method="post" action="\/therapists"[^>]*\s+hx-post="\/therapists" hx-target="this" hx-swap="outerHTML" hx-disable="find button\[type=submit\]">/,
      );
      for (const name of ['name', 'email', 'specialty']) {
        expect(labelOf(html, name)).toContain(`name="${name}"`);
        expect(attributeOf(controlTag(html, name), 'value')).toBe('');
      }
    });

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

    it('shows a taken e-mail address on its field (409) and creates nothing', async () => {
      const before = await t.em().count(Therapist);
      const response = await t.http
        .post('/therapists')
        .type('form')
        .send({ name: 'Copy Cat', email: ada.email.toUpperCase(), specialty: '' })
        .expect(409);
      const html = htmlText(response);
      const email = controlTag(html, 'email');
      expect(attributeOf(email, 'aria-invalid')).toBe('true');
      expect(attributeOf(email, 'value')).toBe(ada.email.toUpperCase());
      expect(fieldErrorOf(html, 'email')).toBe('E-mail is already used by another therapist');
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Copy Cat');
      expect(await t.em().count(Therapist)).toBe(before);
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

    it("refuses another therapist's e-mail address on the field (409), keeping the stored name", async () => {
      const response = await t.http
        .post(`/therapists/${ed.id}`)
        .type('form')
        .send({ name: 'Renamed Meanwhile', email: ada.email, specialty: '' })
        .expect(409);
      const html = htmlText(response);
      expect(html).toContain('<h1>Edit Ed Edited</h1>');
      expect(fieldErrorOf(html, 'email')).toBe('E-mail is already used by another therapist');
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Renamed Meanwhile');
      expect(await stored(ed.id)).toMatchObject({ name: 'Ed Edited', email: 'ed.edited@pages.example' });
    });

    it('answers htmx with only the form on a conflict (409)', async () => {
      const response = await t.http
        .post(`/therapists/${ed.id}`)
        .set(HTMX)
        .type('form')
        .send({ name: 'Ed Edited', email: ada.email, specialty: '' })
        .expect(409);
      expect(isFullPage(response.text)).toBe(false);
      expect(fieldErrorOf(response.text, 'email')).toBe('E-mail is already used by another therapist');
    });

    it('answers an unknown id with a 404 page, even with invalid input', async () => {
      const response = await t.http
        .post('/therapists/2147483000')
        .type('form')
        .send({ name: '', email: '', specialty: '' })
        .expect(404);
      expect(htmlText(response)).toContain('Therapist 2147483000 does not exist.');
    });
  });

  describe('a therapist named <script>alert(1)</script>', () => {
    it.each([
      ['the list', () => '/therapists?q=alert', false],
      ['the list fragment', () => '/therapists?q=alert', true],
      ['the detail page', () => `/therapists/${hostile.id}`, false],
      ['the sessions, with a patient of the same name', () => `/therapists/${hostile.id}/sessions`, false],
      ['the edit form', () => `/therapists/${hostile.id}/edit`, false],
    ])('is escaped on %s', async (_page, path, htmx) => {
      const request = t.http.get(path());
      const html = htmlText(await (htmx ? request.set(HTMX) : request).expect(200));
      expectEscapedName(html);
    });

    it('is listed, and kept as the value of its field', async () => {
      expect(rowIds(htmlText(await t.http.get('/therapists?q=alert').expect(200)), 'therapist')).toEqual([
        hostile.id,
      ]);
      const form = htmlText(await t.http.get(`/therapists/${hostile.id}/edit`).expect(200));
      expect(attributeOf(controlTag(form, 'name'), 'value')).toBe(ESCAPED_SCRIPT_NAME);
      const detail = htmlText(await t.http.get(`/therapists/${hostile.id}/sessions`).expect(200));
      expect(sessionSection(detail, 'upcoming')).toContain(`>${ESCAPED_SCRIPT_NAME}</a>`);
    });

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

    it('is escaped in the search box', async () => {
      const html = htmlText(await t.http.get(`/therapists?q=${encodeURIComponent(SCRIPT_NAME)}`).expect(200));
      expectEscapedName(html);
    });
  });
});
