import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Patient } from '../../src/patients/patient.entity.js';
import type { Session } from '../../src/sessions/session.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
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
const nextYear = (): number => new Date().getUTCFullYear() + 1;

describe('patient pages', () => {
  let t: TestApp;
  // Twelve patients only `q=listed` matches: names sort one way, e-mail addresses the other, and the days they
  // were added in a third order.
  const listed: Patient[] = [];
  let pia: Patient;
  let theo: Therapist;
  let upcoming: Session[];
  let past: Session[];
  let hostile: Patient;
  let hostileTherapist: Therapist;

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    for (let n = 1; n <= 12; n++) {
      const nn = String(n).padStart(2, '0');
      listed.push(
        await createPatient(em, {
          name: `Listed ${nn}`,
          email: `listed-${String(13 - n).padStart(2, '0')}@pages.example`,
          phone: `+44 20 7946 00${nn}`,
          createdAt: new Date(Date.UTC(2024, 0, ((n * 5) % 12) + 1)),
        }),
      );
    }
    pia = await createPatient(em, {
      name: 'Pia Sessionful',
      email: 'pia@pages.example',
      phone: '+44 20 7946 0958',
      dateOfBirth: '1987-04-12',
    });
    theo = await createTherapist(em, { name: 'Theo Therapist' });
    const now = Date.now();
    upcoming = [];
    for (const days of [3, 1, 2]) {
      upcoming.push(
        await createSession(em, { therapist: theo, patient: pia, startsAt: new Date(now + days * DAY) }),
      );
    }
    past = [];
    // Created out of order, so the page has to sort them.
    for (const days of [12, 3, 7, 1, 9, 2, 11, 5, 4, 10, 6, 8]) {
      past.push(
        await createSession(em, { therapist: theo, patient: pia, startsAt: new Date(now - days * DAY) }),
      );
    }
    hostile = await createPatient(em, { name: SCRIPT_NAME, email: 'hostile@pages.example' });
    hostileTherapist = await createTherapist(em, { name: SCRIPT_NAME });
    await createSession(em, {
      therapist: hostileTherapist,
      patient: hostile,
      startsAt: new Date(now - DAY),
    });
  });
  afterAll(() => t.close());

  const byName = (a: Patient, b: Patient): number => a.name.localeCompare(b.name);
  const idsOf = (records: { id: number }[]): number[] => records.map((record) => record.id);
  const stored = (id: number): Promise<Patient> => t.em().findOneOrFail(Patient, id);
  const today = (): string => new Date().toISOString().slice(0, 10);

  describe('GET /patients', () => {
    it('renders the whole page for a normal request, with the list in #results', async () => {
      const response = await t.http.get('/patients').expect(200);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(true);
      expect(varyOf(response)).toContain('hx-request');
      expect(html).toContain('<title>Patients · ');
      expect(html).toMatch(/<a href="\/patients" aria-current="page">Patients<\/a>/);
      expect(html).toContain('<div id="results" class="results">');
      expect(html).toMatch(/<form id="filters"[^>]*method="get" action="\/patients"/);
      expect(rowIds(html, 'patient').length).toBeGreaterThan(0);
    });

    it('renders only the #results fragment for htmx', async () => {
      const response = await t.http.get('/patients?q=listed').set(HTMX).expect(200);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(false);
      expect(html).not.toContain('<form id="filters"');
      expect(varyOf(response)).toContain('hx-request');
      expect(rowIds(html, 'patient')).toEqual(idsOf([...listed].sort(byName)));
    });

    it('searches names and e-mail addresses, and keeps the search text in the box', async () => {
      const nameHit = htmlText(await t.http.get('/patients?q=SESSIONful').expect(200));
      expect(rowIds(nameHit, 'patient')).toEqual([pia.id]);
      expect(attributeOf(controlTag(nameHit, 'q'), 'value')).toBe('SESSIONful');
      expect(nameHit).toContain('<td data-label="Phone">+44 20 7946 0958</td>');
      const emailHit = htmlText(await t.http.get('/patients?q=listed-03@').expect(200));
      expect(rowIds(emailHit, 'patient')).toEqual([listed[9]?.id]);
    });

    it('sorts by a column, marks it with aria-sort, and links its header to the other order', async () => {
      const html = htmlText(await t.http.get('/patients?q=listed&sort=email').expect(200));
      const byEmail = [...listed].sort((a, b) => (a.email ?? '').localeCompare(b.email ?? ''));
      expect(rowIds(html, 'patient')).toEqual(idsOf(byEmail));
      expect(sortedColumn(html)).toEqual([{ label: 'E-mail', order: 'ascending' }]);
      expect(hrefOf(html, 'E-mail ▲')).toBe('/patients?q=listed&sort=email&order=desc');
      expect(hrefOf(html, 'Added')).toBe('/patients?q=listed&sort=created_at');
      expect(html).toContain('<input type="hidden" name="sort" value="email" form="filters">');
    });

    it('sorts by the day each patient was added, latest first', async () => {
      const html = htmlText(await t.http.get('/patients?q=listed&sort=created_at&order=desc').expect(200));
      const byCreated = [...listed].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      expect(rowIds(html, 'patient')).toEqual(idsOf(byCreated));
      expect(sortedColumn(html)).toEqual([{ label: 'Added', order: 'descending' }]);
    });

    it('applies the page size, shows the total, and links to the next page', async () => {
      const sorted = [...listed].sort(byName);
      const html = htmlText(await t.http.get('/patients?q=listed&page_size=10').expect(200));
      expect(rowIds(html, 'patient')).toEqual(idsOf(sorted.slice(0, 10)));
      expect(html).toContain('Showing 1–10 of 12');
      expect(html).toMatch(/<option value="10" selected>10<\/option>/);
      expect(hrefOf(html, 'Next')).toBe('/patients?q=listed&page=2&page_size=10');

      const second = htmlText(await t.http.get('/patients?q=listed&page=2&page_size=10').expect(200));
      expect(rowIds(second, 'patient')).toEqual(idsOf(sorted.slice(10)));
      expect(second).toContain('Showing 11–12 of 12');
    });

    it('says so when nothing matches, and offers to clear the search', async () => {
      const html = htmlText(await t.http.get('/patients?q=nobody-at-all').expect(200));
      expect(rowIds(html, 'patient')).toEqual([]);
      expect(html).toContain('No patients match “nobody-at-all”.');
      expect(hrefOf(html, 'Clear the search')).toBe('/patients');
    });

    it.each([
      ['sort=phone', 'sort must be one of the following values: name, email, created_at'],
      ['page_size=0', 'page_size must not be less than 1'],
      ['order=random', 'order must be one of the following values: asc, desc'],
    ])('answers %s with 400 and the message on the page', async (query, message) => {
      const html = htmlText(await t.http.get(`/patients?q=keep&${query}`).expect(400));
      expect(isFullPage(html)).toBe(true);
      expect(html).toContain('This search cannot be applied:');
      expect(html).toContain(`<li>${message}</li>`);
      expect(attributeOf(controlTag(html, 'q'), 'value')).toBe('keep');

      const fragment = await t.http.get(`/patients?${query}`).set(HTMX).expect(400);
      expect(isFullPage(fragment.text)).toBe(false);
      expect(fragment.text).toContain(`<li>${message}</li>`);
    });
  });

  describe('GET /patients/:id', () => {
    it("shows the patient's details and an edit link", async () => {
      const html = htmlText(await t.http.get(`/patients/${pia.id}`).expect(200));
      expect(html).toContain('<h1>Pia Sessionful</h1>');
      expect(html).toContain('<a href="mailto:pia@pages.example">pia@pages.example</a>');
      expect(html).toContain('<dd>+44 20 7946 0958</dd>');
      expect(html).toContain('<dd>12 April 1987</dd>');
      expect(html).toMatch(
        new RegExp(`<a role="button" class="secondary" href="/patients/${pia.id}/edit">Edit`),
      );
      expect(hrefOf(html, 'Book a session')).toBe(`/sessions/new?patient_id=${pia.id}`);
    });

    it('loads its sessions from the sessions pages, with a link to them without JavaScript', async () => {
      const html = htmlText(await t.http.get(`/patients/${pia.id}`).expect(200));
      expect(html).toContain(
        `<div id="person-sessions" hx-get="/patients/${pia.id}/sessions" hx-trigger="load" hx-swap="outerHTML">`,
      );
      expect(hrefOf(html, 'Sessions of Pia Sessionful')).toBe(`/patients/${pia.id}/sessions`);
      const page = htmlText(await t.http.get(`/patients/${pia.id}/sessions`).expect(200));
      expect(isFullPage(page)).toBe(true);
      expect(page).toMatch(/<a href="\/patients" aria-current="page">Patients<\/a>/);
    });

    it('lists the upcoming sessions, soonest first, with their therapist', async () => {
      const html = htmlText(await t.http.get(`/patients/${pia.id}/sessions`).set(HTMX).expect(200));
      const section = sessionSection(html, 'upcoming');
      const soonestFirst = [...upcoming].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      expect(sessionIdsIn(section)).toEqual(idsOf(soonestFirst));
      expect(section).not.toContain('The next');
      expect(section).toContain(`<a href="/therapists/${theo.id}">Theo Therapist</a>`);
      expect(hrefOf(section, 'All sessions from today on')).toBe(
        `/sessions?patient_id=${pia.id}&from=${today()}`,
      );
    });

    it('lists the latest ten past sessions, and links to all of them', async () => {
      const html = htmlText(await t.http.get(`/patients/${pia.id}/sessions`).expect(200));
      const section = sessionSection(html, 'past');
      const latestFirst = [...past].sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
      expect(sessionIdsIn(section)).toEqual(idsOf(latestFirst.slice(0, 10)));
      expect(section).toContain('The latest 10 of 12');
      expect(hrefOf(section, 'All sessions up to today, latest first')).toBe(
        `/sessions?patient_id=${pia.id}&to=${today()}&order=desc`,
      );
    });

    it('shows what a patient has not given', async () => {
      const html = htmlText(await t.http.get(`/patients/${hostile.id}`).expect(200));
      expect(html).toContain('<dt>Phone</dt><dd><span class="muted">None given</span></dd>');
      expect(html).toContain('<dt>Date of birth</dt><dd><span class="muted">None given</span></dd>');
      const sessions = htmlText(await t.http.get(`/patients/${hostile.id}/sessions`).expect(200));
      expect(sessionSection(sessions, 'upcoming')).toContain('No upcoming sessions.');
    });

    it.each(['/patients/2147483000', '/patients/2147483000/edit', '/patients/2147483000/sessions'])(
      'answers an unknown id (%s) with a 404 page',
      async (path) => {
        const html = htmlText(await t.http.get(path).expect(404));
        expect(isFullPage(html)).toBe(true);
        expect(html).toContain('Patient 2147483000 does not exist.');
      },
    );
  });

  describe('new patient form', () => {
    it('shows an empty form that posts to /patients, every control labelled', async () => {
      const html = htmlText(await t.http.get('/patients/new').expect(200));
      expect(html).toContain('<title>New patient · ');
      expect(html).toMatch(
        /<form id="patient-form"[^>]*method="post" action="\/patients"[^>]*\s+hx-post="\/patients" hx-target="this" hx-swap="outerHTML" hx-disable="find button\[type=submit\]">/,
      );
      for (const name of ['name', 'email', 'phone', 'date_of_birth']) {
        expect(labelOf(html, name)).toContain(`name="${name}"`);
        expect(attributeOf(controlTag(html, name), 'value')).toBe('');
      }
      expect(attributeOf(controlTag(html, 'date_of_birth'), 'max')).toBe(today());
    });

    it('shows each error next to its field and keeps the input (400)', async () => {
      const birthday = `${nextYear()}-01-01`;
      const response = await t.http
        .post('/patients')
        .type('form')
        .send({ name: 'Fay Future', email: '', phone: 'call me', date_of_birth: birthday })
        .expect(400);
      const html = htmlText(response);
      expect(html).toContain('The patient was not added.');
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Fay Future');
      expect(fieldErrorOf(html, 'name')).toBeUndefined();
      const phone = controlTag(html, 'phone');
      expect(attributeOf(phone, 'value')).toBe('call me');
      expect(attributeOf(phone, 'aria-invalid')).toBe('true');
      expect(attributeOf(phone, 'aria-describedby')).toBe('phone-error');
      expect(labelOf(html, 'phone')).toContain(
        "<small id='phone-error' class='field-error'>Phone must be a phone number: digits, spaces, ( ) . - and an optional leading +</small>",
      );
      expect(attributeOf(controlTag(html, 'date_of_birth'), 'value')).toBe(birthday);
      expect(labelOf(html, 'date_of_birth')).toContain('Date of birth cannot be in the future');
      expect(attributeOf(controlTag(html, 'email'), 'aria-invalid')).toBeUndefined();
    });

    it('answers htmx with only the form, errors included (400)', async () => {
      const response = await t.http
        .post('/patients')
        .set(HTMX)
        .type('form')
        .send({ name: '', email: 'x@y', phone: '', date_of_birth: '1990-02-30' })
        .expect(400);
      const html = htmlText(response);
      expect(isFullPage(html)).toBe(false);
      expect(html.trimStart()).toMatch(/^<form id="patient-form"/);
      expect(fieldErrorOf(html, 'name')).toBe('Name must be between 1 and 200 characters');
      expect(fieldErrorOf(html, 'email')).toBe('E-mail must be a valid e-mail address');
      expect(fieldErrorOf(html, 'date_of_birth')).toBe(
        'Date of birth must be a real calendar date written as YYYY-MM-DD',
      );
    });

    it('creates the patient with the optional fields left empty as null, and redirects (303)', async () => {
      const response = await t.http
        .post('/patients')
        .type('form')
        .send({ name: 'Olly Optional', email: '', phone: ' ', date_of_birth: '' })
        .expect(303);
      const created = await t.em().findOneOrFail(Patient, { name: 'Olly Optional' });
      expect(created).toMatchObject({ email: null, phone: null, dateOfBirth: null });
      expect(response.headers.location).toBe(`/patients/${created.id}`);
    });

    it('tells htmx to navigate to the new page (HX-Redirect)', async () => {
      const response = await t.http
        .post('/patients')
        .set(HTMX)
        .type('form')
        .send({
          name: 'Hal Htmx',
          email: 'Hal@Pages.Example',
          phone: '020 7946 0000',
          date_of_birth: '2001-09-30',
        })
        .expect(200);
      const created = await t.em().findOneOrFail(Patient, { email: 'hal@pages.example' });
      expect(response.headers['hx-redirect']).toBe(`/patients/${created.id}`);
      expect(created).toMatchObject({ name: 'Hal Htmx', phone: '020 7946 0000', dateOfBirth: '2001-09-30' });
    });

    it('shows a taken e-mail address on its field (409) and creates nothing', async () => {
      const before = await t.em().count(Patient);
      const response = await t.http
        .post('/patients')
        .type('form')
        .send({ name: 'Copy Cat', email: 'PIA@pages.example', phone: '', date_of_birth: '' })
        .expect(409);
      const html = htmlText(response);
      const email = controlTag(html, 'email');
      expect(attributeOf(email, 'aria-invalid')).toBe('true');
      expect(attributeOf(email, 'value')).toBe('PIA@pages.example');
      expect(fieldErrorOf(html, 'email')).toBe('E-mail is already used by another patient');
      expect(await t.em().count(Patient)).toBe(before);
    });
  });

  describe('edit patient form', () => {
    let ed: Patient;

    beforeAll(async () => {
      ed = await createPatient(t.em(), {
        name: 'Ed Editable',
        phone: '+1 555 0100',
        dateOfBirth: '1970-01-31',
      });
    });

    it('shows the stored values', async () => {
      const html = htmlText(await t.http.get(`/patients/${ed.id}/edit`).expect(200));
      expect(html).toContain('<h1>Edit Ed Editable</h1>');
      expect(html).toMatch(new RegExp(`<form id="patient-form"[^>]*action="/patients/${ed.id}"`));
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Ed Editable');
      expect(attributeOf(controlTag(html, 'email'), 'value')).toBe(ed.email);
      expect(attributeOf(controlTag(html, 'phone'), 'value')).toBe('+1 555 0100');
      expect(attributeOf(controlTag(html, 'date_of_birth'), 'value')).toBe('1970-01-31');
    });

    it('saves every field, clears the emptied ones, and redirects to the page (303)', async () => {
      const response = await t.http
        .post(`/patients/${ed.id}`)
        .type('form')
        .send({ name: 'Ed Edited', email: '', phone: '', date_of_birth: '' })
        .expect(303);
      expect(response.headers.location).toBe(`/patients/${ed.id}`);
      expect(await stored(ed.id)).toMatchObject({
        name: 'Ed Edited',
        email: null,
        phone: null,
        dateOfBirth: null,
      });
    });

    it('tells htmx to navigate to the page after saving (HX-Redirect)', async () => {
      const response = await t.http
        .post(`/patients/${ed.id}`)
        .set(HTMX)
        .type('form')
        .send({ name: 'Ed Edited', email: 'ed@pages.example', phone: '', date_of_birth: '1970-01-31' })
        .expect(200);
      expect(response.headers['hx-redirect']).toBe(`/patients/${ed.id}`);
      expect(await stored(ed.id)).toMatchObject({ email: 'ed@pages.example', dateOfBirth: '1970-01-31' });
    });

    it('shows errors next to their fields, keeps the input and changes nothing (400)', async () => {
      const response = await t.http
        .post(`/patients/${ed.id}`)
        .type('form')
        .send({ name: 'x'.repeat(201), email: 'ed@pages.example', phone: '12', date_of_birth: '' })
        .expect(400);
      const html = htmlText(response);
      expect(html).toContain('<h1>Edit Ed Edited</h1>');
      expect(fieldErrorOf(html, 'name')).toBe('Name must be between 1 and 200 characters');
      expect(fieldErrorOf(html, 'phone')).toBe(
        'Phone must be a phone number: digits, spaces, ( ) . - and an optional leading +',
      );
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('x'.repeat(201));
      expect((await stored(ed.id)).dateOfBirth).toBe('1970-01-31');
    });

    it("refuses another patient's e-mail address on the field (409), keeping the stored name", async () => {
      const response = await t.http
        .post(`/patients/${ed.id}`)
        .type('form')
        .send({ name: 'Renamed Meanwhile', email: 'pia@pages.example', phone: '', date_of_birth: '' })
        .expect(409);
      const html = htmlText(response);
      expect(html).toContain('<h1>Edit Ed Edited</h1>');
      expect(fieldErrorOf(html, 'email')).toBe('E-mail is already used by another patient');
      expect(attributeOf(controlTag(html, 'name'), 'value')).toBe('Renamed Meanwhile');
      expect(await stored(ed.id)).toMatchObject({ name: 'Ed Edited', email: 'ed@pages.example' });
    });

    it('answers an unknown id with a 404 page', async () => {
      const response = await t.http
        .post('/patients/2147483000')
        .type('form')
        .send({ name: 'Nobody', email: '', phone: '', date_of_birth: '' })
        .expect(404);
      expect(htmlText(response)).toContain('Patient 2147483000 does not exist.');
    });
  });

  describe('a patient named <script>alert(1)</script>', () => {
    it.each([
      ['the list', () => '/patients?q=alert', false],
      ['the list fragment', () => '/patients?q=alert', true],
      ['the detail page', () => `/patients/${hostile.id}`, false],
      ['the sessions, with a therapist of the same name', () => `/patients/${hostile.id}/sessions`, false],
      ['the edit form', () => `/patients/${hostile.id}/edit`, false],
    ])('is escaped on %s', async (_page, path, htmx) => {
      const request = t.http.get(path());
      const html = htmlText(await (htmx ? request.set(HTMX) : request).expect(200));
      expectEscapedName(html);
    });

    it('is listed, and kept as the value of its field', async () => {
      expect(rowIds(htmlText(await t.http.get('/patients?q=alert').expect(200)), 'patient')).toEqual([
        hostile.id,
      ]);
      const form = htmlText(await t.http.get(`/patients/${hostile.id}/edit`).expect(200));
      expect(attributeOf(controlTag(form, 'name'), 'value')).toBe(ESCAPED_SCRIPT_NAME);
      const detail = htmlText(await t.http.get(`/patients/${hostile.id}/sessions`).expect(200));
      expect(sessionSection(detail, 'past')).toContain(`>${ESCAPED_SCRIPT_NAME}</a>`);
    });

    it('is escaped when a form with it is shown again', async () => {
      const response = await t.http
        .post(`/patients/${hostile.id}`)
        .type('form')
        .send({ name: SCRIPT_NAME, email: 'bad', phone: SCRIPT_NAME, date_of_birth: SCRIPT_NAME })
        .expect(400);
      expectEscapedName(htmlText(response));
    });

    it("is escaped in the past sessions on its therapist's page", async () => {
      const page = htmlText(await t.http.get(`/therapists/${hostileTherapist.id}/sessions`).expect(200));
      expectEscapedName(page);
      expect(sessionSection(page, 'past')).toContain(
        `<a href="/patients/${hostile.id}">${ESCAPED_SCRIPT_NAME}</a>`,
      );
    });
  });
});
