import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { photograph, useDemoPractice } from './browser.js';

/** The sessions list as dense as UI.md asks: rows above the fold on a desk screen, short cards on a phone. */
describe('dense sessions list', () => {
  const practice = useDemoPractice();

  /** The rows (desk) or cards (phone) of the list, as their top and bottom in CSS pixels from the page's top. */
  const rowBoxes = async (page: Page): Promise<{ top: number; bottom: number }[]> => {
    const boxes = await Promise.all(
      (await page.locator('#results tbody tr').all()).map((row) => row.boundingBox()),
    );
    return boxes.flatMap((box) => (box ? [{ top: box.y, bottom: box.y + box.height }] : []));
  };

  it('shows at least 10 one-line rows above the fold at 1280×800', async () => {
    const page = await practice.page();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${practice.baseUrl}/sessions`);
    const boxes = await rowBoxes(page);
    const aboveFold = boxes.filter((box) => box.bottom <= 800).length;
    process.stdout.write(`rows above the fold at 1280×800: ${aboveFold}\n`);
    expect(aboveFold).toBeGreaterThanOrEqual(10);
    for (const box of boxes.slice(0, 10)) expect(box.bottom - box.top).toBeLessThanOrEqual(45);
    await expect(
      page.locator('#results tbody tr td[data-label="When"]').first().innerText(),
    ).resolves.toMatch(/^\w{3} \d{1,2} \w{3} · \d\d:\d\d–\d\d:\d\d/);
    await photograph(page, 'density-sessions');
  });

  it('shows session cards of at most ~140 px on the first phone screen, filters behind a disclosure', async () => {
    const page = await practice.page();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${practice.baseUrl}/sessions`);
    await expect(page.getByLabel('Search').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Status').isVisible()).resolves.toBe(false);
    const boxes = await rowBoxes(page);
    process.stdout.write(
      `cards on the first 375×740 screen: ${boxes.filter((box) => box.bottom <= 740).length}, ` +
        `tallest of the first five: ${Math.max(...boxes.slice(0, 5).map((box) => Math.round(box.bottom - box.top)))} px\n`,
    );
    expect(boxes[0]?.bottom).toBeLessThanOrEqual(740);
    for (const box of boxes.slice(0, 5)) expect(box.bottom - box.top).toBeLessThanOrEqual(145);
    await page.getByText('Filters', { exact: true }).click();
    await expect(page.getByLabel('Status').isVisible()).resolves.toBe(true);
  });
});
