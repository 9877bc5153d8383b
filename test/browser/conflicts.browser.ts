import { describe, expect, it } from '@jest/globals';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { photograph, useDemoPractice } from './browser.js';

/** A refused booking in Chromium: the session in the way linked, a free start chosen with one click, then booked. */
describe('conflicts on the booking form in a real browser', () => {
  const practice = useDemoPractice();

  it('offers free starts that refill the form and then book', async () => {
    const em = practice.t.em();
    const chen = await createTherapist(em, { name: 'Dr Chen' });
    const jordan = await createPatient(em, { name: 'Jordan Lee' });
    await createPatient(em, { name: 'Sam Ortiz' });
    // Monday 3 February 2031, 10:00–10:50 in London (GMT then).
    await createSession(em, { therapist: chen, patient: jordan, startsAt: new Date('2031-02-03T10:00:00Z') });

    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/sessions/new`);
    await page.getByLabel('Therapist').selectOption({ label: 'Dr Chen' });
    await page.getByLabel('Patient').selectOption({ label: 'Sam Ortiz' });
    await page.getByLabel(/Date and time/).fill('2031-02-03T10:20');
    await page.getByRole('button', { name: 'Book session' }).click();
    await page.locator('#suggestions').waitFor();
    expect(await page.locator('#date-error').innerText()).toBe(
      'Dr Chen already sees Jordan Lee 10:00–10:50 that day',
    );
    expect(await page.locator('#suggestions button').count()).toBe(3);
    await photograph(page, 'session-conflict');

    await page.locator('#suggestions button').first().click();
    await page.locator('#suggestions').waitFor({ state: 'detached' });
    expect(await page.getByLabel(/Date and time/).inputValue()).toBe('2031-02-03T11:00');
    await Promise.all([
      page.waitForURL(/\/sessions\/\d+$/),
      page.getByRole('button', { name: 'Book session' }).click(),
    ]);
    expect(await page.locator('body').innerText()).toContain('Sam Ortiz');
  }, 120_000);
});
