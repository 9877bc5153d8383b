import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { checkAndPhotograph, useDemoPractice } from './browser.js';

/**
 * A therapist's page loads their working hours from the scheduling pages (htmx, `hx-trigger="load"`); without
 * JavaScript its link leads to them. Either way the add form posts there and comes back to the therapist's page.
 */
describe("a therapist's working hours in a real browser", () => {
  const practice = useDemoPractice();

  async function expectAccessibleAndFitting(page: Page, name: string): Promise<void> {
    expect({ page: name, violations: await checkAndPhotograph(page, name) }).toEqual({
      page: name,
      violations: [],
    });
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  }

  /** The hours of one weekday as the section lists them, e.g. `['09:00–17:00']`. */
  const hoursOn = (section: Locator, weekday: string): Promise<string[]> =>
    section
      .locator('.working-hours-table tr', { has: section.page().locator('th', { hasText: weekday }) })
      .locator('.interval-label')
      .allInnerTexts();

  it("shows the hours on the therapist's page with JavaScript, and adds an interval there", async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/therapists/1`);
    // The scheduling module serves the section; htmx swaps it in for the slot, which keeps its id.
    const section = page.locator('section#working-hours');
    await section.locator('.working-hours-table').waitFor();
    expect(await page.locator('div#working-hours').count()).toBe(0);
    await expect(hoursOn(section, 'Monday')).resolves.toEqual(['09:00–17:00']);
    await expect(hoursOn(section, 'Saturday')).resolves.toEqual([]);
    await page.locator('#person-sessions #upcoming-heading').waitFor();
    await expectAccessibleAndFitting(page, 'therapist-detail-with-working-hours');
    await page.setViewportSize({ width: 1280, height: 900 });

    await section.locator('#working-hours-form select[name=weekday]').selectOption('Saturday');
    await section.locator('#working-hours-form input[name=start]').fill('10:00');
    await section.locator('#working-hours-form input[name=end]').fill('14:00');
    await section.getByRole('button', { name: 'Add hours' }).click();
    await page.waitForURL(`${practice.baseUrl}/therapists/1#working-hours`);
    await section.locator('.working-hours-table').waitFor();
    await expect(hoursOn(section, 'Saturday')).resolves.toEqual(['10:00–14:00']);
    // The redirect's anchor lands on the slot, which the loaded section replaces in place.
    const top = (await section.boundingBox())?.y ?? -1;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(900);

    // Removing asks first: the disclosure opens on the confirming button.
    await section.locator('summary', { hasText: 'Remove… Saturday 10:00–14:00' }).click();
    await section.getByRole('button', { name: 'Yes, remove Saturday 10:00–14:00' }).click();
    await page.waitForURL(`${practice.baseUrl}/therapists/1#working-hours`);
    await section.locator('.working-hours-table').waitFor();
    await expect(hoursOn(section, 'Saturday')).resolves.toEqual([]);
    await page.context().close();
  });

  it('the hours as a page of their own pass axe-core and fit a 375 px screen', async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/therapists/3/working-hours`);
    await expect(page.locator('h1').innerText()).resolves.not.toBe('');
    await expectAccessibleAndFitting(page, 'working-hours');
    await page.context().close();
  });

  it('shows a refused interval next to its field, in the section, with JavaScript', async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/therapists/2`);
    const section = page.locator('section#working-hours');
    await section.locator('#working-hours-form').waitFor();
    await section.locator('#working-hours-form select[name=weekday]').selectOption('Monday');
    await section.locator('#working-hours-form input[name=start]').fill('16:00');
    await section.locator('#working-hours-form input[name=end]').fill('18:00');
    await section.getByRole('button', { name: 'Add hours' }).click();
    // A plain form: the refusal is the working-hours page, with the input kept.
    await page.waitForURL(`${practice.baseUrl}/therapists/2/working-hours`);
    await expect(page.locator('#start-error').innerText()).resolves.toBe(
      'overlaps another interval on the same day',
    );
    await expect(page.locator('#working-hours-form input[name=start]').inputValue()).resolves.toBe('16:00');
    await expectAccessibleAndFitting(page, 'working-hours-refused');
    await page.context().close();
  });

  it('links to the hours without JavaScript, where an interval can be added too', async () => {
    const page = await practice.page({ javaScriptEnabled: false });
    await page.goto(`${practice.baseUrl}/therapists/3`);
    expect(await page.locator('.working-hours-table').count()).toBe(0);
    await page.getByRole('link', { name: 'Working hours', exact: true }).click();
    await page.waitForURL(`${practice.baseUrl}/therapists/3/working-hours`);
    const section = page.locator('section#working-hours');
    await expect(hoursOn(section, 'Friday')).resolves.toEqual(['09:00–17:00']);

    await section.locator('#working-hours-form select[name=weekday]').selectOption('Sunday');
    await section.locator('#working-hours-form input[name=start]').fill('08:00');
    await section.locator('#working-hours-form input[name=end]').fill('09:30');
    await section.getByRole('button', { name: 'Add hours' }).click();
    await page.waitForURL(`${practice.baseUrl}/therapists/3#working-hours`);
    await page.getByRole('link', { name: 'Working hours', exact: true }).click();
    await expect(hoursOn(page.locator('section#working-hours'), 'Sunday')).resolves.toEqual(['08:00–09:30']);
    await page.context().close();
  });
});
