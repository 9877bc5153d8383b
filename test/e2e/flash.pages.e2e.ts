import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, rowFragmentOf, textsOf } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

let t: TestApp;
let maya: Therapist;
let jordan: Patient;

/** The confirmations the page's live region holds. */
async function flashOn(path: string): Promise<string[]> {
  const $ = htmlOf(await t.http.get(path).expect(200));
  expect($('#flash').attr('role')).toBe('status');
  return textsOf($, '#flash p');
}

describe('confirmations after a write (flash messages)', () => {
  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
    maya = await createTherapist(t.em(), { name: 'Maya Chen' });
    jordan = await createPatient(t.em(), { name: 'Jordan Lee' });
  });
  afterAll(() => t.close());

  it('every page holds an empty live region until a write leaves a message', async () => {
    expect(await flashOn('/sessions')).toEqual([]);
  });

  it('shows the booking once on the page a plain 303 leads to, then never again', async () => {
    const booked = await t.http
      .post('/sessions')
      .type('form')
      .send({
        therapist_id: String(maya.id),
        patient_id: String(jordan.id),
        date: '2027-03-08T10:00',
        duration_minutes: '50',
      })
      .expect(303);
    const location = String(booked.headers.location);
    expect(await flashOn(location)).toEqual(['Session booked: Mon 8 Mar, 10:00–10:50']);
    expect(await flashOn(location)).toEqual([]);
  });

  it('says how many sessions a series booked, on which weekday and from when', async () => {
    const booked = await t.http
      .post('/sessions')
      .type('form')
      .send({
        therapist_id: String(maya.id),
        patient_id: String(jordan.id),
        date: '2027-04-05T10:00',
        duration_minutes: '50',
        repeat: 'weekly',
        occurrences: '8',
      })
      .expect(303);
    expect(await flashOn(String(booked.headers.location))).toEqual([
      '8 sessions booked, Mondays 10:00 from 5 Apr',
    ]);
  });

  it('after an htmx post, keeps the message for the page HX-Redirect leads to', async () => {
    const saved = await t.http
      .post('/patients')
      .set(HTMX)
      .type('form')
      .send({ name: 'Robin Moss', email: 'robin.moss@example.com' })
      .expect(200);
    const location = String(saved.headers['hx-redirect']);
    expect(location).toMatch(/^\/patients\/\d+$/);
    expect(await flashOn(location)).toEqual(['Patient added: Robin Moss']);
  });

  it('an htmx status change answers the row and its confirmation, out of band into the live region', async () => {
    const session = await createSession(t.em(), {
      therapist: maya,
      patient: jordan,
      startsAt: new Date('2025-11-03T09:00:00Z'),
    });
    const response = await t.http
      .post(`/sessions/${session.id}/status`)
      .set(HTMX)
      .type('form')
      .send({ status: 'Completed', version: String(session.version) })
      .expect(200);
    expect(rowFragmentOf(response)(`tr#session-${session.id}`).length).toBe(1);
    const $ = htmlOf(response);
    expect($('#flash').attr('hx-swap-oob')).toBe('innerHTML');
    expect(textsOf($, '#flash p')).toEqual(['Mon 3 Nov, 10:00–10:50 is now Completed']);
    // Shown there already: the next page does not repeat it.
    expect(await flashOn('/sessions')).toEqual([]);
  });

  it('a plain status change confirms on the list it returns to', async () => {
    const session = await createSession(t.em(), {
      therapist: maya,
      patient: jordan,
      startsAt: new Date('2025-11-04T09:00:00Z'),
    });
    const response = await t.http
      .post(`/sessions/${session.id}/status`)
      .type('form')
      .send({ status: 'No-Show', version: String(session.version), return_to: '/sessions?status=No-Show' })
      .expect(303)
      .expect('Location', '/sessions?status=No-Show');
    expect(response.headers['hx-redirect']).toBeUndefined();
    expect(await flashOn('/sessions?status=No-Show')).toEqual(['Tue 4 Nov, 10:00–10:50 is now No-Show']);
  });

  it('a refused write leaves no message', async () => {
    await t.http.post('/patients').type('form').send({ name: '', email: 'nobody@example.com' }).expect(400);
    expect(await flashOn('/patients')).toEqual([]);
  });

  it('working hours added and removed are confirmed on the therapist page', async () => {
    const added = await t.http
      .post(`/therapists/${maya.id}/working-hours`)
      .type('form')
      .send({ weekday: '2', start: '09:00', end: '13:00' })
      .expect(303);
    // Maya's sessions on other days are now outside her hours: the hours' own page lists them.
    expect(added.headers.location).toBe(`/therapists/${maya.id}/working-hours#stranded-heading`);
    expect(await flashOn(String(added.headers.location).replace(/#.*/, ''))).toEqual([
      "Working hours added: Tuesday 09:00–13:00. 9 Scheduled sessions are outside the therapist's hours, " +
        'time off or a closure: reschedule them below.',
    ]);
    const hours = htmlOf(await t.http.get(`/therapists/${maya.id}/working-hours`).expect(200));
    const remove = hours('form[action$="/delete"]').attr('action');
    expect(remove).toBeDefined();
    await t.http.post(String(remove)).type('form').send({}).expect(303);
    expect(await flashOn(`/therapists/${maya.id}`)).toEqual(['Working hours removed']);
  });
});
