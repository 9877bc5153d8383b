import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Patient } from '../../src/patients/patient.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import {
  attributeOf,
  controlTag,
  expectEscapedName,
  fieldErrorOf,
  hrefOf,
  htmlText,
  isFullPage,
  labelOf,
  rowIds,
  SCRIPT_NAME,
  sessionSection,
} from '../utils/person-pages.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const DAY = 24 * 60 * 60 * 1000;
const HTMX = { 'HX-Request': 'true' };
const nextYear = (): number => new Date().getUTCFullYear() + 1;

// A patient's own details and form; what the therapist and patient pages do alike is people.pages.e2e.ts's.
describe('patient pages', () => {
  let t: TestApp;
  let pia: Patient;
  let hostile: Patient;

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    pia = await createPatient(em, {
      name: 'Pia Sessionful',
      email: 'pia@pages.example',
      phone: '+44 20 7946 0958',
      dateOfBirth: '1987-04-12',
    });
    hostile = await createPatient(em, { name: SCRIPT_NAME, email: 'hostile@pages.example' });
    await createSession(em, {
      therapist: await createTherapist(em, { name: SCRIPT_NAME }),
      patient: hostile,
      startsAt: new Date(Date.now() - DAY),
    });
  });
  afterAll(() => t.close());

  const stored = (id: number): Promise<Patient> => t.em().findOneOrFail(Patient, id);
  const today = (): string => new Date().toISOString().slice(0, 10);

  describe('GET /patients', () => {
    it('shows the phone in the list', async () => {
      const nameHit = htmlText(await t.http.get('/patients?q=SESSIONful').expect(200));
      expect(rowIds(nameHit, 'patient')).toEqual([pia.id]);
      expect(nameHit).toContain('<td data-label="Phone">+44 20 7946 0958</td>');
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

    it('shows what a patient has not given', async () => {
      const html = htmlText(await t.http.get(`/patients/${hostile.id}`).expect(200));
      expect(html).toContain('<dt>Phone</dt><dd><span class="muted">None given</span></dd>');
      expect(html).toContain('<dt>Date of birth</dt><dd><span class="muted">None given</span></dd>');
      const sessions = htmlText(await t.http.get(`/patients/${hostile.id}/sessions`).expect(200));
      expect(sessionSection(sessions, 'upcoming')).toContain('No upcoming sessions.');
    });
  });

  describe('new patient form', () => {
    it('bounds the date of birth by today', async () => {
      const html = htmlText(await t.http.get('/patients/new').expect(200));
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
  });

  describe('a patient named <script>alert(1)</script>', () => {
    it('is escaped when a form with it is shown again', async () => {
      const response = await t.http
        .post(`/patients/${hostile.id}`)
        .type('form')
        .send({ name: SCRIPT_NAME, email: 'bad', phone: SCRIPT_NAME, date_of_birth: SCRIPT_NAME })
        .expect(400);
      expectEscapedName(htmlText(response));
    });
  });
});
