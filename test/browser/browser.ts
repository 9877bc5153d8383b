import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_DEMO_DATA, seedDemoData } from '../../src/database/seed/demo-data.js';
import { createTestUser, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Debian's Chromium (`apt-get install -y chromium`); the suites never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '..', 'artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Playwright gives each launch a fresh, temporary profile.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page in a context of its own (axe-core needs one created with `browser.newContext()`). */
export async function openPage(
  browser: Browser,
  options: {
    javaScriptEnabled?: boolean;
    storageState?: StorageState;
    viewport?: { width: number; height: number };
    userAgent?: string;
  } = {},
): Promise<Page> {
  // A British browser's language, as the clinic's CLINIC_LOCALE (en-GB). Headless Chromium still shows date
  // inputs in its own en-US order (mm/dd/yyyy) whatever --lang or LANG say: a desk's en-GB browser shows dd/mm.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    ...options,
  });
  return context.newPage();
}

/** A browser context's cookies and storage, as Playwright saves and restores them. */
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2's own AA rule is target-size, 24×24 px), and best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Serious and critical axe-core violations on the page as it is now (minor and moderate ones are reported only). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/**
 * axe-core at desktop width and at 375 px, with a full-page screenshot of each under test/artifacts/
 * (git-ignored). Returns the serious and critical violations found at either width.
 */
export async function checkAndPhotograph(page: Page, name: string): Promise<AxeViolation[]> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const desktop = await seriousViolations(page);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  const phone = await seriousViolations(page);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-375.png`), fullPage: true });
  await page.setViewportSize(viewport);
  return [...desktop, ...phone.map((violation) => ({ ...violation, id: `${violation.id} (375 px)` }))];
}

/** Polls a condition (e.g. after an htmx swap) until it holds, failing after `timeoutMs`. */
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface DemoPractice {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A new page of a new browser context, signed in as the practice's receptionist (through the sign-in page, once). */
  page(options?: { javaScriptEnabled?: boolean }): Promise<Page>;
}

/**
 * For the suite that calls it: the demo practice (seeded, London time) served on a free port and a Chromium to visit
 * it, started before its tests and stopped after them. The fields are set once the suite has started.
 */
export function useDemoPractice(): DemoPractice {
  const practice = {} as DemoPractice;
  beforeAll(async () => {
    const t = await createTestApp({
      CLINIC_TIMEZONE: 'Europe/London',
      CLINIC_NAME: 'Riverside Therapy Practice',
    });
    await seedDemoData(t.em(), { ...DEFAULT_DEMO_DATA, timeZone: 'Europe/London' });
    const receptionist = await createTestUser(t.em(), 'receptionist', { name: 'Rita Reception' });
    const baseUrl = await t.listen();
    const browser = await launchChromium();
    // Signed in once through the sign-in page; every later page starts with that browser's cookies.
    let signedInState: Promise<StorageState> | undefined;
    const signIn = async (): Promise<StorageState> => {
      const first = await openPage(browser);
      await first.goto(`${baseUrl}/login`);
      await first.getByLabel('E-mail').fill(receptionist.email);
      await first.getByLabel('Password').fill(TEST_PASSWORD);
      await Promise.all([
        first.waitForURL(`${baseUrl}/day`),
        first.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      const state = await first.context().storageState();
      await first.context().close();
      return state;
    };
    const page = async (options: { javaScriptEnabled?: boolean } = {}): Promise<Page> => {
      signedInState ??= signIn();
      return openPage(browser, { ...options, storageState: await signedInState });
    };
    Object.assign(practice, { t, baseUrl, browser, page });
  });
  afterAll(async () => {
    await practice.browser.close();
    await practice.t.close();
  });
  return practice;
}

/** Both widths the pages are checked at, photographed into test/artifacts/. */
export async function photograph(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [375, 740],
  ] as const) {
    await page.setViewportSize({ width, height });
    expect({ name, width, violations: await seriousViolations(page) }).toEqual({
      name,
      width,
      violations: [],
    });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
