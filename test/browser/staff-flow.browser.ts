import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR, checkAndPhotograph, waitUntil, useDemoPractice } from './browser.js';

/**
 * A member of staff at work, in Debian's Chromium: with JavaScript (htmx) and without it. Every page visited is
 * checked with axe-core and photographed at desktop and phone width (test/artifacts/).
 */
describe('staff flow in a real browser', () => {
  const practice = useDemoPractice();

  const visited = new Set<string>();

  /** axe-core (no serious or critical violation) and the two screenshots, once per page. */
  async function inspect(page: Page, name: string): Promise<void> {
    if (visited.has(name)) return;
    visited.add(name);
    expect({ page: name, violations: await checkAndPhotograph(page, name) }).toEqual({
      page: name,
      violations: [],
    });
  }

  const rows = (page: Page): Locator => page.locator('#results tbody tr');
  const rowCount = (page: Page): Promise<number> => rows(page).count();
  const resultCount = (page: Page): Promise<string> => page.locator('#results .result-count').innerText();

  it('finds, filters, sorts and pages sessions without reloading, and back/forward restore each view', async () => {
    const page = await practice.page();
    // Every date: the list opens on upcoming sessions, none of which is Completed yet.
    await page.goto(`${practice.baseUrl}/sessions?from=`);
    await inspect(page, 'sessions-list');
    expect(await rowCount(page)).toBe(25);
    // A marker on the window survives htmx swaps but not a full page load.
    await page.evaluate('window.staffFlowMarker = true');

    const name = (
      await page.locator('#results tbody tr td[data-label="Patient"]').first().innerText()
    ).trim();
    const surname = name.split(' ').at(-1) ?? name;
    await page.getByLabel('Search').pressSequentially(surname, { delay: 40 });
    await page.waitForURL((url) => url.searchParams.get('q') === surname);
    await waitUntil(async () => (await rows(page).filter({ hasNotText: surname }).count()) === 0);

    await page.getByLabel('Status').selectOption('Completed');
    await page.waitForURL((url) => url.searchParams.get('status') === 'Completed');
    await waitUntil(
      async () => (await page.locator('#results .badge').filter({ hasNotText: 'Completed' }).count()) === 0,
    );

    await page.getByLabel('Search').fill('');
    await page.getByLabel('Search').press('Backspace');
    await page.waitForURL((url) => !url.searchParams.get('q'));
    await page.locator('#results th a', { hasText: 'Patient' }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'patient');
    await expect(page.locator('th[aria-sort="ascending"]').innerText()).resolves.toContain('Patient');

    await page.getByLabel('Per page').selectOption('10');
    await page.waitForURL((url) => url.searchParams.get('page_size') === '10');
    await waitUntil(async () => (await rowCount(page)) === 10);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('patient');
    const firstPageFirstRow = await page.locator('#results tbody tr').first().innerText();

    await page.locator('.pagination a', { hasText: /^2$/ }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await expect(resultCount(page)).resolves.toMatch(/^Showing 11–20 of \d+$/);

    await page.goBack();
    await page.waitForURL(
      (url) => url.searchParams.get('page') === null && url.searchParams.get('page_size') === '10',
    );
    // htmx restores history by fetching the URL again: wait for that answer to be swapped in.
    await waitUntil(async () => /^Showing 1–10 of \d+$/.test(await resultCount(page)));
    expect(await page.locator('#results tbody tr').first().innerText()).toBe(firstPageFirstRow);
    await expect(page.getByLabel('Per page').inputValue()).resolves.toBe('10');
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('Completed');

    await page.goForward();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await waitUntil(async () => /^Showing 11–20 of \d+$/.test(await resultCount(page)));
    await page.context().close();
  });

  it.each([
    ['/sessions', 'Patient', 'patient', 'a'],
    ['/therapists', 'E-mail', 'email', 'a'],
    ['/patients', 'E-mail', 'email', 'a'],
  ])('a live search on %s keeps the sort order chosen by a header', async (path, header, sort, typed) => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}${path}?page_size=10`);
    await page.locator('#results th a', { hasText: header }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === sort);
    await page.locator('#results th a', { hasText: header }).click();
    await page.waitForURL((url) => url.searchParams.get('order') === 'desc');
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially(typed, { delay: 40 });
    await page.waitForURL((url) => url.searchParams.get('q') === typed);
    const state = new URL(page.url()).searchParams;
    expect([state.get('sort'), state.get('order'), state.get('page_size')]).toEqual([sort, 'desc', '10']);
    await waitUntil(async () => (await page.locator('#results .result-count').count()) === 1);
    await expect(page.locator('th[aria-sort="descending"]').innerText()).resolves.toContain(header);
    await page.context().close();
  });

  it('keeps the series filter through filters, sorting and search, with and without JavaScript', async () => {
    const booked = await fetch(`${practice.baseUrl}/api/sessions/series`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${practice.t.adminToken}` },
      body: JSON.stringify({
        therapist_id: 2,
        patient_id: 3,
        date: '2032-04-05T10:00:00Z',
        frequency: 'weekly',
        occurrences: 3,
      }),
    });
    expect(booked.status).toBe(201);
    const { data } = (await booked.json()) as { data: { id: number; series_id: number }[] };
    const seriesId = String(data[0]?.series_id);
    const inSeries = (url: URL): boolean => url.searchParams.get('series_id') === seriesId;

    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/sessions/${data[0]?.id}`);
    await page.getByRole('link', { name: 'All sessions of this series' }).click();
    await page.waitForURL(inSeries);
    expect(await rowCount(page)).toBe(3);
    await inspect(page, 'sessions-series-filter');
    await page.getByLabel('Status').selectOption('Scheduled');
    await page.waitForURL((url) => inSeries(url) && url.searchParams.get('status') === 'Scheduled');
    await page.locator('#results th a', { hasText: 'Therapist' }).click();
    await page.waitForURL((url) => inSeries(url) && url.searchParams.get('sort') === 'therapist');
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('a', { delay: 40 });
    await page.waitForURL((url) => inSeries(url) && url.searchParams.get('q') === 'a');
    await waitUntil(async () => (await rowCount(page)) === 3);
    await page.getByRole('link', { name: `Series #${seriesId}: remove this filter` }).click();
    await page.waitForURL((url) => !url.searchParams.has('series_id') && url.searchParams.get('q') === 'a');
    await waitUntil(async () => (await page.locator('.filter-chips').count()) === 0);
    await page.context().close();

    const plain = await practice.page({ javaScriptEnabled: false });
    await plain.goto(`${practice.baseUrl}/sessions?series_id=${seriesId}&sort=patient`);
    await plain.getByLabel('Status').selectOption('Scheduled');
    await plain.getByRole('button', { name: 'Apply filters' }).click();
    await plain.waitForURL((url) => inSeries(url) && url.searchParams.get('status') === 'Scheduled');
    expect(new URL(plain.url()).searchParams.get('sort')).toBe('patient');
    expect(await rowCount(plain)).toBe(3);
    await plain.context().close();
  });

  it.each(['/sessions', '/therapists', '/patients'])(
    'at 375 px %s keeps its sort links visible, as a "Sort by" row above the cards',
    async (listPath) => {
      const page = await practice.page();
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${practice.baseUrl}${listPath}`);
      const links = await page.locator('#results th a').all();
      expect(links.length).toBeGreaterThanOrEqual(3);
      for (const link of links) {
        const box = await link.boundingBox();
        // On screen and big enough to see and press: not clipped to a 1 px box.
        expect(box && box.width > 20 && box.height > 10 && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      }
      // Keyboard focus reaches a sort link where it can be seen.
      await links[1]?.focus();
      const focused = await page.locator('#results th a:focus').boundingBox();
      expect(focused && focused.width > 20 && focused.x + focused.width <= 375).toBe(true);
      // The first screenful, focus on a sort link, to look at (the full-page shots are too tall for that).
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${listPath.slice(1)}-375-sort-row.png`) });
      await links[1]?.click();
      await page.waitForURL((url) => url.searchParams.has('sort'));
      await page.context().close();
    },
  );

  it('changes statuses inline, showing the updated row without a page load, and says why a change failed', async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/sessions?status=Scheduled&sort=date&order=desc`);
    await page.evaluate('window.staffFlowMarker = true');

    // A future session offers only a cancellation, which needs a reason.
    const row = page.locator('#results tbody tr').first();
    const id = String(await row.getAttribute('id'));
    await row.locator('summary', { hasText: /cancel…/i }).click();
    await row.getByRole('button', { name: /cancel session$/i }).click();
    const refused = page.locator(`#${id}`);
    await refused.locator('.row-error', { hasText: 'reason is required to cancel a session' }).waitFor();
    await expect(refused.locator('.badge').innerText()).resolves.toBe('Scheduled');

    await refused.locator('summary', { hasText: /cancel…/i }).click();
    await refused.getByLabel('Reason').fill('Patient moved away');
    await refused.getByRole('button', { name: /cancel session$/i }).click();
    const cancelled = page.locator(`#${id}`);
    await cancelled.locator('.badge', { hasText: 'Cancelled' }).waitFor();
    await expect(cancelled.innerText()).resolves.toContain('Patient moved away');
    // The confirmation lands in the layout's live region, out of band, beside the swapped row.
    await page.locator('#flash[role="status"] p', { hasText: 'is now Cancelled' }).waitFor();
    await inspect(page, 'sessions-after-inline-cancel');

    // A cancelled session can be reopened.
    await cancelled.getByRole('button', { name: /^Reopen/ }).click();
    await page.locator(`#${id} .badge`, { hasText: 'Scheduled' }).waitFor();
    expect(await page.evaluate('window.staffFlowMarker === true')).toBe(true);
    await page.context().close();
  });

  it('disables every button of a row while its status change is on its way', async () => {
    // A session that already took place (backfilled) offers two changes: Complete and No-show.
    const booked = await fetch(`${practice.baseUrl}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${practice.t.adminToken}` },
      body: JSON.stringify({ therapist_id: 1, patient_id: 1, date: '2020-01-06T10:00:00Z' }),
    });
    expect(booked.status).toBe(201);
    const { id } = (await booked.json()) as { id: number };
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/sessions?from=2020-01-06&to=2020-01-06`);
    const row = page.locator(`#session-${id}`);
    expect(await row.locator('button').count()).toBeGreaterThanOrEqual(2);

    // Hold the request until the row's pending state has been checked.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    await page.route(`**/sessions/${id}/status`, async (route) => {
      arrived();
      await held;
      await route.continue();
    });
    await row.getByRole('button', { name: /^Complete/ }).click();
    await arrival;
    expect(await row.getAttribute('class')).toContain('htmx-request');
    const buttons = await row.locator('button').all();
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    for (const button of buttons) await expect(button.isDisabled()).resolves.toBe(true);
    release();
    await page.locator(`#session-${id} .badge`, { hasText: 'Completed' }).waitFor();
    await expect(page.locator(`#session-${id} button`).first().isEnabled()).resolves.toBe(true);
    await page.context().close();
  });

  it('books a session: an invalid form shows its errors inline, a valid one opens the new session', async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/sessions/new`);
    await inspect(page, 'session-new');
    await page.getByLabel('Duration (minutes)').fill('300');
    await page.getByRole('button', { name: 'Book session' }).click();
    await page.locator('#therapist_id-error').waitFor();
    await expect(page.locator('#duration_minutes-error').innerText()).resolves.toBe(
      'Duration (minutes) must not be greater than 240',
    );
    await expect(page.getByLabel('Duration (minutes)').inputValue()).resolves.toBe('300');
    await inspect(page, 'session-new-errors');

    await page.getByLabel('Therapist').selectOption({ index: 1 });
    await page.getByLabel('Patient').selectOption({ index: 1 });
    await page.getByLabel(/Date and time/).fill('2031-01-06T09:00');
    await page.getByLabel('Duration (minutes)').fill('50');
    await page.getByLabel('Notes').fill('First session');
    await page.getByRole('button', { name: 'Book session' }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Session on Mon, 6 Jan 2031');
    await expect(page.locator('#flash[role="status"]').innerText()).resolves.toBe(
      'Session booked: Mon 6 Jan, 09:00–09:50',
    );
    await expect(page.locator('.session-summary').innerText()).resolves.toContain('09:00–09:50 GMT');
    await inspect(page, 'session-detail');
    await page.context().close();
  });

  it('shows the week calendar and moves a week forward and back through the URL', async () => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/calendar`);
    await inspect(page, 'calendar');
    expect(await page.locator('.calendar-block').count()).toBeGreaterThan(10);
    const thisWeek = await page.locator('#week-label').innerText();
    await page.getByRole('link', { name: 'Next week →' }).click();
    await page.waitForURL(/week=\d{4}-\d{2}-\d{2}/);
    await expect(page.locator('#week-label').innerText()).resolves.not.toBe(thisWeek);
    await page.getByLabel('Therapist').selectOption({ index: 1 });
    await page.waitForURL(/therapist_id=\d+/);
    expect(new URL(page.url()).searchParams.get('week')).not.toBeNull();
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.get('therapist_id'));
    // The URL changes before the restored week is swapped in: click a slot of that week, not of the one leaving.
    await waitUntil(async () => (await page.getByLabel('Therapist').inputValue()) === '');
    await page.locator('a.calendar-slot').first().click();
    await page.waitForURL(/\/sessions\/new\?/);
    await expect(page.getByLabel(/Date and time/).inputValue()).resolves.toMatch(/T07:00$/);
    await page.context().close();
  });

  it.each([
    ['sessions-list', '/sessions'],
    ['calendar', '/calendar'],
    ['therapists-list', '/therapists'],
    ['therapist-detail', '/therapists/1'],
    ['therapist-sessions', '/therapists/1/sessions'],
    ['therapist-new', '/therapists/new'],
    ['therapist-edit', '/therapists/1/edit'],
    ['patients-list', '/patients'],
    ['patient-detail', '/patients/1'],
    ['patient-new', '/patients/new'],
    ['patient-edit', '/patients/1/edit'],
    ['calendar-one-therapist', '/calendar?therapist_id=1'],
    ['not-found', '/sessions/999999'],
    ['sessions-empty', '/sessions?q=nobody-is-called-this'],
    ['sessions-invalid-filter', '/sessions?page_size=500'],
  ])('%s (%s) passes axe-core and fits a 375 px screen', async (name, url) => {
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}${url}`);
    await inspect(page, name);
    await page.setViewportSize({ width: 375, height: 812 });
    // Nothing but the calendar grid and wide tables (which scroll inside their own box) may be wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.context().close();
  });

  it('a series session and a form changed by someone else pass axe-core too', async () => {
    const booked = await fetch(`${practice.baseUrl}/api/sessions/series`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${practice.t.adminToken}` },
      body: JSON.stringify({
        therapist_id: 2,
        patient_id: 3,
        date: '2032-03-01T10:00:00Z',
        frequency: 'weekly',
        occurrences: 3,
      }),
    });
    expect(booked.status).toBe(201);
    const { data } = (await booked.json()) as { data: { id: number }[] };
    const id = data[1]?.id ?? 0;
    const page = await practice.page();
    await page.goto(`${practice.baseUrl}/sessions/${id}`);
    await inspect(page, 'session-in-series');
    const changed = await fetch(`${practice.baseUrl}/api/sessions/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${practice.t.adminToken}` },
      body: JSON.stringify({ notes: 'Changed by a colleague' }),
    });
    expect(changed.status).toBe(200);
    await page.getByLabel('Notes').fill('My change');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#edit-session-form .notice-error', { hasText: 'changed by someone else' }).waitFor();
    await expect(page.getByLabel('Notes').inputValue()).resolves.toBe('Changed by a colleague');
    await inspect(page, 'session-changed-elsewhere');
    await page.context().close();
  });

  it('works without JavaScript: plain GET forms and links, posts that redirect', async () => {
    const page = await practice.page({ javaScriptEnabled: false });
    await page.goto(`${practice.baseUrl}/sessions`);
    await page.getByLabel('Status').selectOption('Scheduled');
    await page.getByLabel('Per page').selectOption('50');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'Scheduled');
    expect(await rowCount(page)).toBe(50);
    await page.locator('#results th a', { hasText: 'Therapist' }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'therapist');
    expect(new URL(page.url()).searchParams.get('status')).toBe('Scheduled');

    const row = page.locator('#results tbody tr').first();
    const id = String(await row.getAttribute('id'));
    await row.locator('summary', { hasText: /cancel…/i }).click();
    await row.getByLabel('Reason').fill('Clinic closed');
    await row.getByRole('button', { name: /cancel session$/i }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'therapist');
    expect(await page.locator(`#${id}`).count()).toBe(0);

    await page.goto(`${practice.baseUrl}/sessions/new`);
    await page.getByRole('button', { name: 'Book session' }).click();
    await expect(page.locator('#date-error').innerText()).resolves.toBe('Enter a date and time');
    await page.getByLabel('Therapist').selectOption({ index: 2 });
    await page.getByLabel('Patient').selectOption({ index: 2 });
    await page.getByLabel(/Date and time/).fill('2031-02-03T11:00');
    await page.getByRole('button', { name: 'Book session' }).click();
    await page.waitForURL(/\/sessions\/\d+$/);

    await page.goto(`${practice.baseUrl}/calendar`);
    await page.getByRole('link', { name: 'Next week →' }).click();
    await page.waitForURL(/week=/);
    await page.context().close();
  });
});
