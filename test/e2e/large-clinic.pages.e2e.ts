import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Patient } from '../../src/patients/patient.entity.js';
import { CHOICE_LIMIT } from '../../src/people/people.service.js';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, textsOf } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * A clinic too large for one screen: 12 therapists at work on one day and more patients than a select can hold.
 * The day sheet and everyone's week show a group of therapists at a time; the patient choices come from a search.
 */

const MONDAY = '2031-06-02';
const THERAPISTS = 12;

describe('a large clinic on the pages', () => {
  let t: TestApp;
  let therapists: Therapist[];
  let zed: Patient;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'UTC' });
    const em = t.em();
    therapists = [];
    for (let n = 1; n <= THERAPISTS; n++) {
      const therapist = await createTherapist(em, { name: `Dr Large ${String(n).padStart(2, '0')}` });
      em.create(WorkingHours, { therapist, weekday: 1, startMinute: 9 * 60, endMinute: 17 * 60 });
      therapists.push(therapist);
    }
    for (let n = 0; n <= CHOICE_LIMIT; n++) {
      em.create(Patient, { name: `Crowd Member ${n}`, email: `crowd${n}@example.com` });
    }
    zed = em.create(Patient, { name: 'Zed Quillfeather', email: 'zed@example.com' });
    await em.flush();
    await createSession(em, {
      therapist: therapists[THERAPISTS - 1],
      patient: zed,
      startsAt: new Date(`${MONDAY}T10:00:00Z`),
    });
  });
  afterAll(() => t.close());

  it('the day sheet shows ten therapists at a time, with links to the others', async () => {
    const first = htmlOf(await t.http.get(`/day?date=${MONDAY}`).expect(200));
    expect(textsOf(first, '.day-column .day-head strong')).toEqual(
      therapists.slice(0, 10).map((therapist) => therapist.name),
    );
    expect(first('.therapist-pager span').text()).toBe('Therapists 1–10 of 12');
    expect(first('.therapist-pager a').attr('href')).toBe(`/day?date=${MONDAY}&page=2`);

    const second = htmlOf(await t.http.get(`/day?date=${MONDAY}&page=2`).set(HTMX).expect(200));
    expect(textsOf(second, '.day-column .day-head strong')).toEqual(['Dr Large 11', 'Dr Large 12']);
    expect(second('.day-column .day-session-patient').first().text()).toBe('Zed Quillfeather');
    expect(second('.therapist-pager span').text()).toBe('Therapists 11–12 of 12');
  });

  it('a page past the last shows the last; a page that is not one is a 400 with its message', async () => {
    const past = htmlOf(await t.http.get(`/day?date=${MONDAY}&page=9`).expect(200));
    expect(past('.therapist-pager span').text()).toBe('Therapists 11–12 of 12');
    await t.http.get(`/day?date=${MONDAY}&page=0`).expect(400);
  });

  it("everyone's week shows as many therapists as fit side by side, and moving a week keeps the group", async () => {
    const first = htmlOf(await t.http.get(`/calendar?week=${MONDAY}`).expect(200));
    expect(first('.therapist-pager span').text()).toBe('Therapists 1–8 of 12');
    expect(first('.calendar-block').length).toBe(0);

    const second = htmlOf(await t.http.get(`/calendar?week=${MONDAY}&page=2`).set(HTMX).expect(200));
    expect(second('.therapist-pager span').text()).toBe('Therapists 9–12 of 12');
    expect(second('.calendar-block').text()).toContain('Zed Quillfeather');
    expect(second('a[rel=next]').attr('href')).toBe('/calendar?week=2031-06-09&page=2');

    const one = htmlOf(await t.http.get(`/calendar?week=${MONDAY}&therapist_id=${therapists[0]?.id}`));
    expect(one('.therapist-pager').length).toBe(0);
  });

  it("the list's patient filter holds only the chosen patient and points to the search", async () => {
    const all = htmlOf(await t.http.get('/sessions').expect(200));
    expect(textsOf(all, 'select[name=patient_id] option')).toEqual(['Any patient']);
    expect(all('#patient-by-search').text()).toContain('Search');

    const chosen = htmlOf(await t.http.get(`/sessions?patient_id=${zed.id}`).expect(200));
    expect(textsOf(chosen, 'select[name=patient_id] option')).toEqual(['Any patient', 'Zed Quillfeather']);
    expect(chosen('select[name=patient_id] option[selected]').text()).toBe('Zed Quillfeather');
  });

  it('the booking form finds patients by a search, keeps what was filled in, and says when none match', async () => {
    const blank = htmlOf(await t.http.get('/sessions/new').expect(200));
    expect(blank('#patient_q').length).toBe(1);
    expect(textsOf(blank, 'select[name=patient_id] option')).toEqual(['Find a patient first']);

    const found = htmlOf(
      await t.http
        .post('/sessions')
        .type('form')
        .send({
          therapist_id: String(therapists[0]?.id),
          date: `${MONDAY}T11:00`,
          duration_minutes: '45',
          patient_q: 'quillfeather',
          find_patient: '1',
        })
        .expect(200),
    );
    expect(textsOf(found, 'select[name=patient_id] option')).toEqual([
      'Choose a patient',
      'Zed Quillfeather',
    ]);
    expect(found('#patient-found').text()).toBe('1 found for “quillfeather”: choose below.');
    expect(found('select[name=therapist_id] option[selected]').text()).toBe('Dr Large 01');
    expect(found('input[name=date]').val()).toBe(`${MONDAY}T11:00`);
    expect(found('input[name=duration_minutes]').val()).toBe('45');

    const none = htmlOf(await t.http.get('/sessions/new?patient_q=nobody-at-all').expect(200));
    expect(none('#patient-found').text()).toBe('No patient matches “nobody-at-all”.');

    const linked = htmlOf(await t.http.get(`/sessions/new?patient_id=${zed.id}`).expect(200));
    expect(linked('select[name=patient_id] option[selected]').text()).toBe('Zed Quillfeather');
  });
});
