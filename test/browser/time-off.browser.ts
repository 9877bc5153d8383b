import { describe, expect, it } from '@jest/globals';
import { Closure } from '../../src/scheduling/closure.entity.js';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { photograph, useDemoPractice } from './browser.js';

/**
 * Time off that strands a session, seen as the desk sees it: the section on the therapist's page, the time off's
 * own page listing the session with its reschedule link, and the removal that asks first; closures likewise.
 */
describe('time off and closures in a real browser', () => {
  const practice = useDemoPractice();

  it('adds time off that strands a session, lists it with a reschedule link, and removes it after confirming', async () => {
    const em = practice.t.em();
    const therapist = await createTherapist(em, { name: 'Dr Nadia Farouk' });
    const patient = await createPatient(em, { name: 'Oliver Grant' });
    const session = await createSession(em, {
      therapist,
      patient,
      startsAt: new Date('2031-07-08T09:00:00Z'),
    });
    // Tuesdays 09:00–17:00: the session (Tuesday 10:00 in London) is inside the hours until the time off.
    em.create(WorkingHours, { therapist, weekday: 2, startMinute: 9 * 60, endMinute: 17 * 60 });
    await em.flush();

    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/therapists/${therapist.id}`);
    const section = page.locator('section#time-off');
    await section.locator('#time-off-form').waitFor();
    await expect(section.innerText()).resolves.toContain('No upcoming time off');
    await section.getByLabel('Start').fill('2031-07-07T00:00');
    await section.getByLabel('End').fill('2031-07-12T00:00');
    await section.getByLabel('Reason').fill('Summer holiday');
    await section.getByRole('button', { name: 'Add time off' }).click();

    await page.waitForURL(new RegExp(`/therapists/${therapist.id}/time-off/\\d+$`));
    await expect(page.locator('#flash').innerText()).resolves.toContain(
      '1 Scheduled session is outside the therapist',
    );
    const item = page.locator('.stranded-list li');
    await expect(item.innerText()).resolves.toContain('Oliver Grant with Dr Nadia Farouk');
    await expect(item.innerText()).resolves.toContain('the therapist is away (Summer holiday)');
    const reschedule = item.getByRole('link', { name: /^Reschedule Oliver Grant/ });
    await expect(reschedule.getAttribute('href')).resolves.toBe(`/sessions/${session.id}`);
    await photograph(page, 'time-off-stranded');

    // The link leads to the session's page, whose form moves it.
    await reschedule.click();
    await page.waitForURL(`${practice.baseUrl}/sessions/${session.id}`);
    await page.locator('#edit-session-form input[name=date]').waitFor();
    await page.goBack();

    // Removing asks first: the disclosure shows the confirming button, which alone removes.
    await page.locator('summary', { hasText: 'Remove this time off' }).click();
    await photograph(page, 'time-off-remove-confirm');
    await page.getByRole('button', { name: 'Yes, remove this time off' }).click();
    await page.waitForURL(`${practice.baseUrl}/therapists/${therapist.id}#time-off`);
    await expect(page.locator('#flash').innerText()).resolves.toBe('Time off removed');
    await page.locator('section#time-off').waitFor();
    await expect(page.locator('section#time-off').innerText()).resolves.toContain('No upcoming time off');

    // The therapist's page: the hours (an interval's edit form opened in place) and the time off section.
    await page.locator('section#working-hours summary', { hasText: 'Edit' }).click();
    await photograph(page, 'therapist-hours-and-time-off');
    await page.context().close();
  });

  it('without JavaScript the section is a page of its own; a refused entry keeps the input next to its message', async () => {
    const therapist = await createTherapist(practice.t.em(), { name: 'Dr Paul Okafor' });
    const page = await practice.page({ javaScriptEnabled: false });
    await page.goto(`${practice.baseUrl}/therapists/${therapist.id}`);
    await page.getByRole('link', { name: 'Time off', exact: true }).click();
    await page.waitForURL(`${practice.baseUrl}/therapists/${therapist.id}/time-off`);
    await page.getByLabel('Start').fill('2031-09-02T12:00');
    await page.getByLabel('End').fill('2031-09-02T09:00');
    await page.getByLabel('Reason').fill('Dentist');
    await page.getByRole('button', { name: 'Add time off' }).click();
    await expect(page.locator('#ends_at-error').innerText()).resolves.toBe('End must be after start');
    await expect(page.getByLabel('Reason').inputValue()).resolves.toBe('Dentist');
    await page.context().close();

    // The same refusal with JavaScript (a plain form post either way), checked by axe and photographed.
    const withJs = await practice.page();
    await withJs.goto(`${practice.baseUrl}/therapists/${therapist.id}/time-off`);
    await withJs.getByLabel('Start').fill('2031-09-02T12:00');
    await withJs.getByLabel('End').fill('2031-09-02T09:00');
    await withJs.getByLabel('Reason').fill('Dentist');
    await withJs.getByRole('button', { name: 'Add time off' }).click();
    await withJs.locator('#ends_at-error').waitFor();
    await photograph(withJs, 'time-off-refused');
    await withJs.context().close();
  });

  it('the closures page adds a closure that strands a session and lists it to move', async () => {
    const em = practice.t.em();
    const therapist = await createTherapist(em, { name: 'Dr Clara Holm' });
    await createSession(em, { therapist, startsAt: new Date('2031-12-26T10:00:00Z') });
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/closures`);
    await page.getByLabel('First day').fill('2031-12-25');
    await page.getByLabel('Last day').fill('2031-12-26');
    await page.getByLabel('Name').fill('Christmas');
    await page.getByRole('button', { name: 'Add closure' }).click();
    await page.waitForURL(/\/closures\/\d+$/);
    await expect(page.locator('.stranded-list li').innerText()).resolves.toContain(
      'the clinic is closed (Christmas)',
    );
    await photograph(page, 'closure-stranded');
    await page.getByRole('link', { name: 'All closures' }).click();
    await page.locator('.closures-table').waitFor();
    await photograph(page, 'closures');
    await page.context().close();
  });
  it("the week calendar names a closure and a therapist's time off in the days' headers", async () => {
    const em = practice.t.em();
    const therapist = await createTherapist(em, { name: 'Dr Mei Tan' });
    em.create(Closure, { startsOn: '2032-01-07', endsOn: '2032-01-07', name: 'Staff training day' });
    em.create(TimeOff, {
      therapist,
      startsAt: new Date('2032-01-08T00:00:00Z'),
      endsAt: new Date('2032-01-10T00:00:00Z'),
      reason: 'Family leave',
    });
    await em.flush();
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/calendar?week=2032-01-05&therapist_id=${therapist.id}`);
    await expect(page.locator('.calendar-day-head.day-3 .calendar-day-note').innerText()).resolves.toBe(
      'Closed: Staff training day',
    );
    await expect(page.locator('.calendar-day-head.day-4 .calendar-day-note').innerText()).resolves.toBe(
      'Away: Family leave',
    );
    await photograph(page, 'calendar-closure-and-time-off');

    // The day sheet of the closed day: the columns hatched with its name, and the phone's list says it.
    await page.goto(`${practice.baseUrl}/day?date=2032-01-07`);
    await expect(page.locator('.day-away-label').first().innerText()).resolves.toBe('Staff training day');
    await photograph(page, 'day-sheet-closure');
    await page.setViewportSize({ width: 375, height: 740 });
    await expect(page.locator('.day-agenda-away').first().innerText()).resolves.toBe(
      'Closed: Staff training day',
    );
    await page.context().close();
  });
});
