import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS_DIR, photograph, useDemoPractice } from './browser.js';

type Box = { x: number; y: number; width: number; height: number };

/** The week calendar: everyone's week on one desk screen, the legend in both views, a phone that opens on today. */
describe('week calendar', () => {
  const practice = useDemoPractice();

  const boxes = async (page: Page, selector: string): Promise<Box[]> =>
    (await Promise.all((await page.locator(selector).all()).map((element) => element.boundingBox()))).flatMap(
      (box) => (box ? [box] : []),
    );

  it("fits everyone's week, Monday to Sunday, at 1280 px with no sideways scrolling", async () => {
    const page = await practice.page();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${practice.baseUrl}/calendar`);
    const heads = await boxes(page, '.calendar-day-head');
    expect(heads).toHaveLength(7);
    for (const head of heads) {
      expect(head.x).toBeGreaterThanOrEqual(0);
      expect(head.x + head.width).toBeLessThanOrEqual(1280);
    }
    await expect(page.locator('.calendar-day-head').first().innerText()).resolves.toMatch(/^Mon /);
    await expect(page.locator('.calendar-day-head').last().innerText()).resolves.toMatch(/^Sun /);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    const overflow = await page.evaluate(
      "(() => { const box = document.querySelector('.calendar-scroll'); return box.scrollWidth - box.clientWidth; })()",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Every session's whole text, for hover and for screen readers, however short its lane shows it.
    const block = page.locator('.calendar-block').first();
    const title = (await block.getAttribute('title')) ?? '';
    expect(title).toMatch(/^\w+day \d\d:\d\d–\d\d:\d\d.*: .+ with .+, \w+/);
    await expect(page.getByRole('link', { name: title, exact: true }).count()).resolves.toBeGreaterThan(0);
    // WCAG 2.2 target size: no session or "+N" link under 24 × 24 px.
    const targets = await boxes(page, '.calendar-block, .calendar-more');
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) {
      expect(Math.min(target.width, target.height)).toBeGreaterThanOrEqual(24);
    }
    await expect(page.locator('.calendar-legend').isVisible()).resolves.toBe(true);
    await expect(page.locator('.calendar-legend').innerText()).resolves.toContain('Scheduled');
    await photograph(page, 'calendar-everyone');
  });

  it("shows the legend with one therapist's free hours too", async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/calendar?therapist_id=1`);
    const legend = await page.locator('.calendar-legend').innerText();
    expect(legend).toContain('Scheduled');
    expect(legend).toContain('Free');
    await photograph(page, 'calendar-one-therapist');
  });

  it("opens on today's column on a phone", async () => {
    const page = await practice.page();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${practice.baseUrl}/calendar`);
    const today = await page.locator('.calendar-day-head.is-today').boundingBox();
    expect(today).not.toBeNull();
    // Right of the sticky hours (3 rem) and whole on the screen.
    expect(today?.x).toBeGreaterThanOrEqual(40);
    expect((today?.x ?? 0) + (today?.width ?? 0)).toBeLessThanOrEqual(375);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'calendar-phone-today-375.png') });
  });
});
