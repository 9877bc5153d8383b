import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { WaitlistEntry } from '../../src/waitlist/waitlist-entry.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, isFullPage, textsOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Tuesday 9 March 2027, 10:00–10:50 in Berlin. */
const SLOT_START = new Date('2027-03-09T09:00:00Z');

/** The waitlist page, and one-click booking from a cancelled session's page (clinic in Berlin). */
describe('waitlist pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const page = async (path: string): Promise<Html> => htmlOf(await t.http.get(path).expect(200));
  const form = (more: object): object => ({
    earliest_date: '2027-03-01',
    latest_date: '2027-03-31',
    time_from: '',
    time_to: '',
    notes: '',
    ...more,
  });

  it('adds a patient, lists them with their preferences, and takes them off after confirming', async () => {
    const patient = await createPatient(t.em(), { name: 'Wanda Waiting' });
    await t.http
      .post('/waitlist')
      .type('form')
      .send(
        form({
          patient_id: String(patient.id),
          therapist_id: '',
          weekdays: ['2', '4'],
          time_from: '09:00',
          time_to: '13:00',
        }),
      )
      .expect(303)
      .expect('Location', '/waitlist');
    const $ = await page('/waitlist');
    expect($('nav[aria-label=Main] a[aria-current=page]').text()).toBe('Waitlist');
    expect(textsOf($, '#flash p')).toEqual(['Wanda Waiting added to the waitlist']);
    const row = $('.waitlist-table tbody tr').filter((_, tr) => $(tr).text().includes('Wanda Waiting'));
    expect(
      row
        .find('td')
        .toArray()
        .slice(1, 5)
        .map((td) => $(td).text().trim()),
    ).toEqual(['Any therapist', '1 Mar – 31 Mar 2027', 'Tue, Thu · 09:00–13:00', 'today']);
    const entry = await t.em().findOneOrFail(WaitlistEntry, { patient: patient.id });
    expect(entry.weekdays).toEqual([2, 4]);

    const fragment = await t.http.get('/waitlist').set(HTMX);
    expect(isFullPage(fragment)).toBe(false);
    expect(fragment.text).toContain('Wanda Waiting');

    const action = String(row.find('details.confirm-remove form').attr('action'));
    expect(action).toBe(`/waitlist/${entry.id}/remove`);
    await t.http.post(action).type('form').send({}).expect(303).expect('Location', '/waitlist');
    const after = await page('/waitlist');
    expect(textsOf(after, '#flash p')).toEqual(['Wanda Waiting taken off the waitlist']);
    expect(after('.waitlist-table').text()).not.toContain('Wanda Waiting');
  });

  it('shows the form again with the message next to the field and the input kept', async () => {
    const patient = await createPatient(t.em());
    const response = await t.http
      .post('/waitlist')
      .type('form')
      .send(form({ patient_id: String(patient.id), latest_date: '2027-02-01', notes: 'Kept' }));
    expect(response.status).toBe(400);
    const $ = htmlOf(response);
    expect($('#latest_date-error').text()).toMatch(/before/);
    expect($('textarea[name=notes]').text()).toBe('Kept');
    expect($(`select[name=patient_id] option[value="${patient.id}"]`).attr('selected')).toBeDefined();
  });

  it('offers the waiting patients on a cancelled session’s page and books one in one click', async () => {
    const therapist = await createTherapist(t.em(), { name: 'Dr. Slot' });
    const cancelled = await createSession(t.em(), {
      therapist,
      startsAt: SLOT_START,
      status: SessionStatus.Cancelled,
      statusReason: 'Unwell',
    });
    const patient = await createPatient(t.em(), { name: 'Quentin Queue' });
    await t.http
      .post('/waitlist')
      .type('form')
      .send(form({ patient_id: String(patient.id), therapist_id: String(therapist.id) }))
      .expect(303);

    const $ = await page(`/sessions/${cancelled.id}`);
    const panel = $('.waitlist-matches');
    expect(panel.find('h2').text()).toMatch(/^\d+ waiting patients? could take Tue 9 Mar 10:00$/);
    const item = panel.find('li').filter((_, li) => $(li).text().includes('Quentin Queue'));
    const book = item.find('form');
    const fields = Object.fromEntries(
      book
        .find('input')
        .toArray()
        .map((input): [string, string] => [String($(input).attr('name')), String($(input).attr('value'))]),
    );
    expect(fields).toMatchObject({
      therapist_id: String(therapist.id),
      date: SLOT_START.toISOString(),
      duration_minutes: '50',
      back: `/sessions/${cancelled.id}`,
    });
    const booked = await t.http
      .post(String(book.attr('action')))
      .type('form')
      .send(fields)
      .expect(303);
    const location = String(booked.headers.location);
    expect(location).toMatch(/^\/sessions\/\d+$/);
    const sessionPage = await page(location);
    expect(textsOf(sessionPage, '#flash p')).toEqual([
      'Session booked: Tue 9 Mar, 10:00–10:50 for Quentin Queue, from the waitlist',
    ]);
    const entry = await t.em().findOneOrFail(WaitlistEntry, { patient: patient.id });
    expect(entry.closedReason).toBe('booked');

    // The same button again: refused with the reason and the way back; nothing else changes.
    const again = await t.http
      .post(String(book.attr('action')))
      .type('form')
      .send(fields);
    expect(again.status).toBe(409);
    const refused = htmlOf(again);
    expect(refused('h1').text()).toBe('Not booked');
    expect(refused(`a[href="/sessions/${cancelled.id}"]`).length).toBe(1);
    const after = await page(`/sessions/${cancelled.id}`);
    expect(after('.waitlist-matches').text()).not.toContain('Quentin Queue');
  });

  it('lists who could take a free slot on its own page, and nothing on a Scheduled session’s page', async () => {
    const therapist = await createTherapist(t.em());
    const scheduled = await createSession(t.em(), { therapist, startsAt: new Date('2027-03-10T09:00:00Z') });
    const patient = await createPatient(t.em(), { name: 'Gap Taker' });
    await t.http
      .post('/waitlist')
      .type('form')
      .send(form({ patient_id: String(patient.id), therapist_id: String(therapist.id) }))
      .expect(303);
    expect((await page(`/sessions/${scheduled.id}`))('.waitlist-matches').length).toBe(0);
    const $ = await page(
      `/waitlist/matches?therapist_id=${therapist.id}&start=2027-03-11T13:00:00Z&end=2027-03-11T13:50:00Z`,
    );
    expect($('h1').text()).toMatch(/could take Thu 11 Mar 14:00$/);
    expect($('.waitlist-matches').text()).toContain('Gap Taker');
    expect($('a[href="/day?date=2027-03-11"]').length).toBe(1);
  });

  it('lets a therapist add their own patients without choosing a therapist', async () => {
    const therapist = await createTherapist(t.em());
    const patient = await createPatient(t.em(), { name: 'Own Patient' });
    await createSession(t.em(), { therapist, patient });
    const agent = await t.signIn('therapist', { therapistId: therapist.id });
    const $ = htmlOf(await agent.get('/waitlist').expect(200));
    expect($('select[name=therapist_id]').length).toBe(0);
    await agent
      .post('/waitlist')
      .type('form')
      .send(form({ patient_id: String(patient.id) }))
      .expect(303);
    const entry = await t
      .em()
      .findOneOrFail(WaitlistEntry, { patient: patient.id }, { populate: ['therapist'] });
    expect(entry.therapist?.id).toBe(therapist.id);
    const mine = htmlOf(await agent.get('/waitlist').expect(200));
    expect(mine('.waitlist-table tbody tr').length).toBe(1);
  });

  it('marks the day sheet’s free time and cancelled sessions with the patients waiting for them', async () => {
    const therapist = await createTherapist(t.em(), { name: 'Dr. Day' });
    await t.http
      .put(`/api/therapists/${therapist.id}/working-hours`)
      .send({ intervals: [{ weekday: 2, start: '09:00', end: '12:00' }] })
      .expect(200);
    const cancelled = await createSession(t.em(), {
      therapist,
      startsAt: new Date('2027-03-16T09:00:00Z'),
      status: SessionStatus.Cancelled,
      statusReason: 'Unwell',
    });
    const patient = await createPatient(t.em(), { name: 'Dora Day' });
    await t.http
      .post('/waitlist')
      .type('form')
      .send(form({ patient_id: String(patient.id), therapist_id: String(therapist.id) }))
      .expect(303);

    const $ = await page('/day?date=2027-03-16');
    const block = $(`#session-${cancelled.id} a.day-waiting-link`);
    expect(block.text()).toMatch(/^\d+ waiting who could take 10:00–10:50$/);
    const url = String(block.attr('href'));
    expect(url).toBe(
      `/waitlist/matches?therapist_id=${therapist.id}&start=2027-03-16T09%3A00%3A00.000Z&end=2027-03-16T09%3A50%3A00.000Z`,
    );
    expect($('.day-free a.day-waiting-link').length).toBeGreaterThan(0);
    const matches = await page(url);
    expect(matches('.waitlist-matches').text()).toContain('Dora Day');
  });
});
