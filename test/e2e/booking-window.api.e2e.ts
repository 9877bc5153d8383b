import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSession } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { fieldsOf, problemOf } from '../utils/http.js';
import { schedulingHelpers } from '../utils/scheduling.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Sessions start at most BACKFILL_DAYS in the past and BOOKING_HORIZON_YEARS ahead (the defaults here). */

const DAY = 86_400_000;
const daysFromNow = (days: number): Date => new Date(Math.round((Date.now() + days * DAY) / 60_000) * 60_000);
const yearsAhead = (years: number, days = 0): Date => {
  const date = daysFromNow(days);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
};
/** `YYYY-MM-DDTHH:mm` as the form's datetime-local input sends it (the clinic is on UTC here). */
const localInput = (date: Date): string => date.toISOString().slice(0, 16);

describe('the booking window', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ BACKFILL_DAYS: '730', BOOKING_HORIZON_YEARS: '2' });
  });
  afterAll(() => t.close());

  const { therapist, book, booked } = schedulingHelpers(() => t);

  it('refuses a date in 1900 with a 400 on the date field', async () => {
    const ada = await therapist();
    const problem = problemOf(await book({ therapist: ada.id, date: '1900-01-01T03:00:00Z' }), 400);
    expect(problem.type).toBe('/problems/validation-error');
    expect(fieldsOf(problem)).toEqual(['date']);
    expect(problem.detail).toMatch(
      /^date is more than 730 days in the past: sessions can be recorded from \d{4}-\d\d-\d\d on$/,
    );
  });

  it('keeps the seed’s example request (15 November 2025) accepted', async () => {
    await booked({ therapist: (await therapist()).id, date: '2025-11-15T10:00:00Z' });
  });

  it('accepts 729 days back and refuses 731', async () => {
    const ada = await therapist();
    await booked({ therapist: ada.id, date: daysFromNow(-729).toISOString() });
    const problem = problemOf(await book({ therapist: ada.id, date: daysFromNow(-731).toISOString() }), 400);
    expect(fieldsOf(problem)).toEqual(['date']);
  });

  it('accepts two years ahead less a day and refuses two years and a day', async () => {
    const ada = await therapist();
    await booked({ therapist: ada.id, date: yearsAhead(2, -1).toISOString() });
    const problem = problemOf(await book({ therapist: ada.id, date: yearsAhead(2, 1).toISOString() }), 400);
    expect(fieldsOf(problem)).toEqual(['date']);
    expect(problem.detail).toMatch(
      /^date is more than 2 years ahead: sessions can be booked until \d{4}-\d\d-\d\d$/,
    );
  });

  it('refuses moving a session out of the window', async () => {
    const session = await createSession(t.em(), { startsAt: daysFromNow(7) });
    const response = await t.http.patch(`/api/sessions/${session.id}`).send({ date: '1900-01-01T10:00:00Z' });
    expect(fieldsOf(problemOf(response, 400))).toEqual(['date']);
  });

  it('refuses a series whose last occurrence lies beyond the horizon, naming it', async () => {
    const ada = await therapist();
    const response = await t.http.post('/api/sessions/series').send({
      therapist_id: ada.id,
      patient_id: (await schedulingHelpers(() => t).patient()).id,
      date: yearsAhead(2, -20).toISOString(),
      frequency: 'weekly',
      occurrences: 5,
    });
    const problem = problemOf(response, 400);
    expect(fieldsOf(problem)).toEqual(['occurrences']);
    expect(problem.detail).toMatch(/^occurrence 4 is more than 2 years ahead/);
  });

  it('shows the refusal next to the date on the booking form, with the input kept', async () => {
    const ada = await therapist();
    const patient = await schedulingHelpers(() => t).patient();
    const far = localInput(yearsAhead(3));
    const $ = htmlOf(
      await t.http
        .post('/sessions')
        .type('form')
        .send({
          therapist_id: String(ada.id),
          patient_id: String(patient.id),
          date: far,
          duration_minutes: '50',
        })
        .expect(400),
    );
    expect($('#date-error').text()).toMatch(
      /^Date and time is more than 2 years ahead: sessions can be booked until/,
    );
    expect($('input[name=date]').val()).toBe(far);
  });
});
