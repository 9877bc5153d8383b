import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { checkAndPhotograph, useDemoPractice } from './browser.js';

/**
 * The stats dashboard in Chromium over the demo practice: charts drawn on the server (no script needed), axe-core
 * clean at 1280 and 375 px with no sideways scrolling of the page (a chart scrolls in its own box), and the form
 * swapped by htmx or submitted plainly.
 */
describe('the stats dashboard in a real browser', () => {
  const practice = useDemoPractice();

  async function expectAccessibleAndFitting(page: Page, name: string): Promise<void> {
    expect({ page: name, violations: await checkAndPhotograph(page, name) }).toEqual({
      page: name,
      violations: [],
    });
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  // Axe runs at two widths on a full dashboard: slow on a loaded machine.
  const SLOW = 120_000;

  it(
    'draws months by default, axe-clean at both widths',
    async () => {
      const page = await practice.page();
      await page.goto(`${practice.baseUrl}/dashboard`);
      await expect(page.locator('svg[role="img"]').count()).resolves.toBe(2);
      expect(await page.locator('figure svg[role="img"] rect').count()).toBeGreaterThan(2);
      await expectAccessibleAndFitting(page, 'dashboard-months');
      await page.context().close();
    },
    SLOW,
  );

  it(
    'draws weeks after htmx swaps the figures',
    async () => {
      const page = await practice.page();
      await page.goto(`${practice.baseUrl}/dashboard`);
      await page.locator('select[name="group_by"]').selectOption('week');
      await page.waitForURL(/group_by=week/);
      await page.locator('caption', { hasText: 'per week' }).first().waitFor();
      expect(await page.locator('h1').count()).toBe(1);
      await expectAccessibleAndFitting(page, 'dashboard-weeks');
      await page.context().close();
    },
    SLOW,
  );

  it('works without JavaScript: the form is a plain GET', async () => {
    const page = await practice.page({ javaScriptEnabled: false });
    await page.goto(`${practice.baseUrl}/dashboard`);
    await page.locator('select[name="therapist_id"]').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/therapist_id=\d+/);
    await expect(page.locator('table').last().locator('tbody tr').count()).resolves.toBe(1);
    await page.context().close();
  });
});
