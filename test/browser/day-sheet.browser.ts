import { describe, expect, it } from '@jest/globals';
import { Temporal } from 'temporal-polyfill';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { photograph, useDemoPractice, waitUntil } from './browser.js';

/** The day sheet in Chromium: today's columns at a desk, the list on a phone, days swapped by htmx. */
describe('the day sheet in a real browser', () => {
  const practice = useDemoPractice();
  const today = (): Temporal.PlainDate => Temporal.Now.plainDateISO('Europe/London');
  const todayAt = (time: string): Date =>
    new Date(
      today().toZonedDateTime({ timeZone: 'Europe/London', plainTime: Temporal.PlainTime.from(time) })
        .epochMilliseconds,
    );

  it('shows today with sessions, time off and check-in, and moves between days', async () => {
    const em = practice.t.em();
    const [first, second] = await em.find(Therapist, {}, { orderBy: { id: 'asc' }, limit: 2 });
    if (!first || !second) throw new Error('The demo practice has therapists');
    em.create(TimeOff, {
      therapist: second,
      startsAt: todayAt('15:00'),
      endsAt: todayAt('17:00'),
      reason: 'Training',
    });
    await em.flush();

    const page = await practice.page();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${practice.baseUrl}/day`);
    await page.locator('.day-grid').waitFor();
    expect(await page.locator('.day-grid .day-session').count()).toBeGreaterThan(0);
    expect(await page.locator('.day-away-label', { hasText: 'Training' }).first().isVisible()).toBe(true);
    await photograph(page, 'day-sheet');

    const next = today().add({ days: 1 }).toString();
    await page.getByRole('link', { name: 'Next day →' }).click();
    await page.waitForURL(`${practice.baseUrl}/day?date=${next}`);
    await waitUntil(async () => (await page.locator('#day-date').inputValue()) === next);
    // htmx swapped the sheet only: the page heading is the same element.
    expect(await page.locator('h1').count()).toBe(1);
    await page.getByRole('link', { name: 'Today' }).click();
    await waitUntil(async () => (await page.locator('#day-date').inputValue()) === today().toString());
    // axe at two widths over a full demo day is slow on a shared machine.
  }, 120_000);

  it('works without JavaScript, and lists the day by therapist on a phone, next first', async () => {
    const page = await practice.page({ javaScriptEnabled: false });
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${practice.baseUrl}/day`);
    expect(await page.locator('.day-scroll').isVisible()).toBe(false);
    expect(await page.locator('.day-agenda-group').first().isVisible()).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const form = page.locator('.day-agenda form.day-check-in[action$="/check-in"]').first();
    const id = /\/sessions\/(\d+)\//.exec((await form.getAttribute('action', { timeout: 5000 })) ?? '')?.[1];
    await Promise.all([page.waitForURL(/\/day\?date=/), form.getByRole('button').click()]);
    expect(await page.locator(`#agenda-session-${id}`).innerText()).toMatch(/✓ Arrived \d\d:\d\d/);
  });
});
