import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  checkAndPhotograph,
  openPage,
  startDemoPractice,
  stopDemoPractice,
  type DemoPractice,
} from './browser.js';

/**
 * A therapist's or patient's page loads their sessions from the sessions pages (htmx, `hx-trigger="load"`); without
 * JavaScript its link leads to them.
 */
describe("a person's sessions in a real browser", () => {
  let practice: DemoPractice;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    practice = await startDemoPractice();
    ({ baseUrl, browser } = practice);
  });
  afterAll(() => stopDemoPractice(practice));

  it.each([
    ['therapist', '/therapists/1'],
    ['patient', '/patients/1'],
  ])("loads the %s's sessions into their page, and links to them without JavaScript", async (kind, path) => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}${path}`);
    // The sessions module serves them; htmx swaps them in once the page has loaded.
    await page.locator('#person-sessions #upcoming-heading').waitFor();
    expect(await page.locator('#person-sessions section.person-sessions').count()).toBe(2);
    expect(await page.locator('#person-sessions a[href^="/sessions/"]').count()).toBeGreaterThan(0);
    expect(page.url()).toBe(`${baseUrl}${path}`);
    const name = `${kind}-detail-with-sessions`;
    expect({ page: name, violations: await checkAndPhotograph(page, name) }).toEqual({
      page: name,
      violations: [],
    });
    await page.context().close();

    const plain = await openPage(browser, { javaScriptEnabled: false });
    await plain.goto(`${baseUrl}${path}`);
    expect(await plain.locator('#upcoming-heading').count()).toBe(0);
    await plain.getByRole('link', { name: /^Sessions of / }).click();
    await plain.waitForURL(`${baseUrl}${path}/sessions`);
    expect(await plain.locator('section.person-sessions').count()).toBe(2);
    expect(await plain.locator('a[href^="/sessions/"]').count()).toBeGreaterThan(0);
    await plain.context().close();
  });
});
