import { describe, expect, it } from '@jest/globals';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { Session } from '../../src/sessions/session.entity.js';
import { WaitlistEntry } from '../../src/waitlist/waitlist-entry.entity.js';
import { createPatient } from '../utils/factories.js';
import { checkAndPhotograph, photograph, useDemoPractice } from './browser.js';

const DAY_MS = 86_400_000;

/**
 * The waitlist end to end: a patient put on it through its page, a session cancelled from its page, the patient
 * offered for the freed time there, and booked into it with one click (the entry closes).
 */
describe('the waitlist in a real browser', () => {
  const practice = useDemoPractice();

  it('adds a waiting patient, offers them a cancelled session’s time and books them in one click', async () => {
    const em = practice.t.em();
    // A Scheduled session two days to three weeks ahead: within the form's default four weeks, not late to cancel.
    const session = await em.findOneOrFail(
      Session,
      {
        status: SessionStatus.Scheduled,
        startsAt: { $gt: new Date(Date.now() + 2 * DAY_MS), $lt: new Date(Date.now() + 21 * DAY_MS) },
      },
      { orderBy: { startsAt: 'asc' }, populate: ['patient'] },
    );
    const waiting = await createPatient(em, { name: 'Wendy Waitlist' });

    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/waitlist`);
    await page.getByLabel('Patient').selectOption({ label: 'Wendy Waitlist' });
    await page.getByLabel('Notes').fill('Any morning suits');
    await Promise.all([
      page.waitForURL(`${practice.baseUrl}/waitlist`),
      page.getByRole('button', { name: 'Add to the waitlist' }).click(),
    ]);
    await expect(page.locator('#flash').innerText()).resolves.toContain(
      'Wendy Waitlist added to the waitlist',
    );
    const row = page.locator('.waitlist-table tbody tr', { hasText: 'Wendy Waitlist' });
    await expect(row.locator('td').nth(1).innerText()).resolves.toBe('Any therapist');
    await photograph(page, 'waitlist');

    await page.goto(`${practice.baseUrl}/sessions/${session.id}`);
    await page.locator('.session-summary summary', { hasText: 'Cancel' }).click();
    await page.locator('.session-summary input[name=reason]').fill('Patient travelling');
    await Promise.all([
      page.waitForURL(`${practice.baseUrl}/sessions/${session.id}`),
      page.locator('.session-summary button[name=status][value=Cancelled]').click(),
    ]);
    const panel = page.locator('.waitlist-matches');
    await expect(panel.locator('h2').innerText()).resolves.toMatch(/waiting patients? could take /);
    const offer = panel.locator('li', { hasText: 'Wendy Waitlist' });
    await offer.waitFor();
    await photograph(page, 'waitlist-cancelled-session');

    // The day sheet marks the cancelled session with the same patients, linking to where they are booked.
    const day = session.startsAt.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    await page.goto(`${practice.baseUrl}/day?date=${day}`);
    const waitingLink = page.locator(`#session-${session.id} a.day-waiting-link`);
    await expect(waitingLink.innerText()).resolves.toMatch(/^\d+ waiting/);
    // Cancelled blocks included: they are muted by colour, not faded below the contrast axe asks for.
    expect(await checkAndPhotograph(page, 'waitlist-day-sheet')).toEqual([]);
    await page.goto(`${practice.baseUrl}/sessions/${session.id}`);
    await offer.waitFor();

    await Promise.all([
      page.waitForURL(
        (url) => /^\/sessions\/\d+$/.test(url.pathname) && url.pathname !== `/sessions/${session.id}`,
      ),
      offer.getByRole('button', { name: 'Book Wendy Waitlist' }).click(),
    ]);
    expect(page.url()).not.toBe(`${practice.baseUrl}/sessions/${session.id}`);
    await expect(page.locator('#flash').innerText()).resolves.toContain(
      'for Wendy Waitlist, from the waitlist',
    );
    await expect(page.locator('.session-summary').innerText()).resolves.toContain('Wendy Waitlist');
    const booked = await practice.t.em().findOneOrFail(Session, { patient: waiting.id });
    expect(booked.startsAt).toEqual(session.startsAt);
    const entry = await practice.t.em().findOneOrFail(WaitlistEntry, { patient: waiting.id });
    expect({ reason: entry.closedReason, session: entry.session?.id }).toEqual({
      reason: 'booked',
      session: booked.id,
    });
    await photograph(page, 'waitlist-booked-session');

    await page.goto(`${practice.baseUrl}/waitlist`);
    await expect(page.locator('#waitlist-list').innerText()).resolves.not.toContain('Wendy Waitlist');
    await page.context().close();
    // Four pages photographed and checked at two widths: more than the default minute on a loaded machine.
  }, 180_000);
});
