import { describe, expect, it } from '@jest/globals';
import { checkAndPhotograph, useDemoPractice } from './browser.js';

/**
 * A therapist's or patient's page loads their sessions from the sessions pages (htmx, `hx-trigger="load"`); without
 * JavaScript its link leads to them.
 */
describe("a person's sessions in a real browser", () => {
  const practice = useDemoPractice();

  it.each([
    ['therapist', '/therapists/1'],
    ['patient', '/patients/1'],
  ])("loads the %s's sessions into their page, and links to them without JavaScript", async (kind, path) => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}${path}`);
    // The sessions module serves them; htmx swaps them in once the page has loaded.
    await page.locator('#person-sessions #upcoming-heading').waitFor();
    expect(await page.locator('#person-sessions section.person-sessions').count()).toBe(2);
    expect(await page.locator('#person-sessions a[href^="/sessions/"]').count()).toBeGreaterThan(0);
    expect(page.url()).toBe(`${practice.baseUrl}${path}`);
    const name = `${kind}-detail-with-sessions`;
    expect({ page: name, violations: await checkAndPhotograph(page, name) }).toEqual({
      page: name,
      violations: [],
    });
    await page.context().close();

    const plain = await practice.page({ javaScriptEnabled: false });
    await plain.goto(`${practice.baseUrl}${path}`);
    expect(await plain.locator('#upcoming-heading').count()).toBe(0);
    await plain.getByRole('link', { name: /^Sessions of / }).click();
    await plain.waitForURL(`${practice.baseUrl}${path}/sessions`);
    expect(await plain.locator('section.person-sessions').count()).toBe(2);
    expect(await plain.locator('a[href^="/sessions/"]').count()).toBeGreaterThan(0);
    await plain.context().close();
  });
});
