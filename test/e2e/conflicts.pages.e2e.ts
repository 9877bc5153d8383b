import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { HTMX, htmlOf, textsOf } from '../utils/html.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The booking form after a refusal: the session in the way linked, free starts as one-click choices. */
describe('conflicts on the booking form', () => {
  let t: TestApp;
  let chen: Therapist;
  let sam: Patient;
  let existing: number;

  const { therapistWith, patient, booked } = schedulingHelpers(() => t);

  beforeAll(async () => {
    t = await createTestApp();
    chen = await therapistWith([{ weekday: 1, start: '09:00', end: '17:00' }], { name: 'Dr Chen' });
    const jordan = await patient({ name: 'Jordan Lee' });
    sam = await patient({ name: 'Sam Ortiz' });
    existing = await booked({ therapist: chen.id, patient: jordan.id, date: '2031-02-03T10:00:00Z' });
  });
  afterAll(() => t.close());

  const form = (extra: Record<string, string> = {}): Record<string, string> => ({
    therapist_id: String(chen.id),
    patient_id: String(sam.id),
    date: '2031-02-03T10:20',
    duration_minutes: '50',
    notes: 'Second visit',
    ...extra,
  });

  it('names the people, links the session in the way and offers three free starts', async () => {
    const $ = htmlOf(await t.http.post('/sessions').type('form').send(form()).expect(409));
    expect($('#date-error').text()).toBe('Dr Chen already sees Jordan Lee 10:00–10:50 that day');
    expect($('.conflict-link a').attr('href')).toBe(`/sessions/${existing}`);
    expect($('.conflict-link a').text()).toBe('Open Dr Chen’s session with Jordan Lee');
    expect(
      $('#suggestions button[name=suggested_date]')
        .map((_, b) => $(b).val())
        .get(),
    ).toEqual(['2031-02-03T11:00', '2031-02-03T11:15', '2031-02-03T11:30']);
    expect(textsOf($, '#suggestions button')[0]).toMatch(/11:00$/);
  });

  it('refills the form with a chosen start, keeping the rest and booking nothing', async () => {
    const response = await t.http
      .post('/sessions')
      .type('form')
      .send(form({ suggested_date: '2031-02-03T11:00' }))
      .expect(200);
    const $ = htmlOf(response);
    expect($('input[name=date]').val()).toBe('2031-02-03T11:00');
    expect($('textarea[name=notes]').text()).toBe('Second visit');
    expect($('select[name=patient_id] option[selected]').val()).toBe(String(sam.id));
    expect($('#suggestions').length).toBe(0);
    const sessions = await t.http.get(`/api/sessions?patient_id=${sam.id}`).expect(200);
    expect((sessions.body as { data: unknown[] }).data).toEqual([]);
  });

  it('does the same in the htmx fragment', async () => {
    const response = await t.http.post('/sessions').set(HTMX).type('form').send(form()).expect(409);
    const $ = htmlOf(response);
    expect($('#session-form #suggestions button').length).toBe(3);
  });
});
