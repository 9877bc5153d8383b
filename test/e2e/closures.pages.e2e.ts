import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { htmlOf, isFullPage, textsOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The clinic's closures on the pages (`/closures`): the desk's, with sessions a closure strands listed to move. */
describe('clinic closures page (clinic in Berlin)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const page = async (path: string): Promise<Html> => htmlOf(await t.http.get(path).expect(200));

  it('is in the header for the desk and admins, not for therapists, who are refused the page', async () => {
    const $ = await page('/closures');
    expect($('nav[aria-label=Main] a[aria-current=page]').text()).toBe('Closures');
    expect($('h1').text()).toBe('Clinic closures');
    const desk = await t.signIn('receptionist');
    const deskPage = htmlOf(await desk.get('/day').expect(200));
    expect(deskPage('nav[aria-label=Main] a[href="/closures"]').length).toBe(1);

    const therapist = await createTherapist(t.em());
    const own = await t.signIn('therapist', { therapistId: therapist.id });
    const theirs = htmlOf(await own.get('/day').expect(200));
    expect(theirs('nav[aria-label=Main] a[href="/closures"]').length).toBe(0);
    await own.get('/closures').expect(403);
  });

  it('adds a single day (an empty last day), a range, lists them, and removes one after confirming', async () => {
    await t.http
      .post('/closures')
      .type('form')
      .send({ starts_on: '2031-12-25', ends_on: '', name: 'Christmas Day' })
      .expect(303)
      .expect('Location', '/closures');
    await t.http
      .post('/closures')
      .type('form')
      .send({ starts_on: '2031-12-30', ends_on: '2031-12-31', name: 'Year end' })
      .expect(303);
    const $ = await page('/closures');
    expect(textsOf($, '#flash p')).toEqual([
      'Closure added: Christmas Day, Thu, 25 Dec 2031',
      'Closure added: Year end, Tue, 30 Dec 2031 – Wed, 31 Dec 2031',
    ]);
    const rows = $('.closures-table tbody tr');
    expect(rows.toArray().map((row) => $(row).find('td').eq(1).text())).toEqual([
      'Christmas Day',
      'Year end',
    ]);
    const christmas = await t.em().findOneOrFail(Closure, { name: 'Christmas Day' });
    expect([christmas.startsOn, christmas.endsOn]).toEqual(['2031-12-25', '2031-12-25']);

    const confirm = rows.first().find('details.confirm-remove');
    expect(confirm.find('summary').text()).toContain('Remove…');
    const action = String(confirm.find('form').attr('action'));
    expect(action).toBe(`/closures/${christmas.id}/delete`);
    await t.http.post(action).type('form').send({}).expect(303).expect('Location', '/closures');
    expect(await t.em().count(Closure, { name: 'Christmas Day' })).toBe(0);
    expect(textsOf(await page('/closures'), '#flash p')).toEqual(['Closure removed']);
    await t.http.post(action).type('form').send({}).expect(404);
  });

  it('shows errors next to their fields, keeps the input, and refuses an overlap', async () => {
    const invalid = await t.http
      .post('/closures')
      .type('form')
      .send({ starts_on: '2032-05-02', ends_on: '2032-05-01', name: 'Backwards' })
      .expect(400);
    expect(isFullPage(invalid)).toBe(true);
    const $ = htmlOf(invalid);
    expect($('#ends_on-error').text()).toBe('Last day must not be before first day');
    expect($('input[name=name]').val()).toBe('Backwards');
    expect($('input[name=starts_on]').val()).toBe('2032-05-02');

    const blank = htmlOf(
      await t.http.post('/closures').type('form').send({ starts_on: '', ends_on: '', name: '' }).expect(400),
    );
    expect(blank('#starts_on-error').text()).not.toBe('');
    expect(blank('#name-error').text()).not.toBe('');

    await t.http
      .post('/closures')
      .type('form')
      .send({ starts_on: '2032-05-01', ends_on: '2032-05-01', name: 'Labour Day' })
      .expect(303);
    const overlap = htmlOf(
      await t.http
        .post('/closures')
        .type('form')
        .send({ starts_on: '2032-04-30', ends_on: '2032-05-02', name: 'Long weekend' })
        .expect(409),
    );
    expect(overlap('#starts_on-error').text()).toBe('overlaps another closure');
    expect(overlap('input[name=name]').val()).toBe('Long weekend');
  });

  it('a closure that strands Scheduled sessions leads to its page, listing each with a reschedule link', async () => {
    const therapist = await createTherapist(t.em(), { name: 'Dr Lena Vogt' });
    const patient = await createPatient(t.em(), { name: 'Jonas Kerr' });
    const session = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2032-10-03T08:00:00Z'),
    });
    const response = await t.http
      .post('/closures')
      .type('form')
      .send({ starts_on: '2032-10-03', ends_on: '', name: 'Unity Day' })
      .expect(303);
    const closure = await t.em().findOneOrFail(Closure, { name: 'Unity Day' });
    expect(response.headers.location).toBe(`/closures/${closure.id}`);
    const $ = await page(`/closures/${closure.id}`);
    expect(textsOf($, '#flash p')[0]).toContain('1 Scheduled session is outside');
    expect($('h1').text()).toBe('Closed: Unity Day');
    const item = $('.stranded-list li');
    expect(item.text().replace(/\s+/g, ' ')).toContain('Sun 3 Oct, 10:00–10:50 Jonas Kerr with Dr Lena Vogt');
    expect(item.text()).toContain('the clinic is closed (Unity Day)');
    expect(item.find('a').attr('href')).toBe(`/sessions/${session.id}`);
    expect($('details.confirm-remove form').attr('action')).toBe(`/closures/${closure.id}/delete`);
    await t.http.get('/closures/999999').expect(404);
  });
});
