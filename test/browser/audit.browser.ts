import { describe, expect, it } from '@jest/globals';
import { createTestUser, TEST_PASSWORD } from '../utils/sign-in.js';
import { checkAndPhotograph, openPage, useDemoPractice, waitUntil } from './browser.js';

describe('the audit trail in a real browser', () => {
  const practice = useDemoPractice();

  it('an admin sees who opened a patient’s record, follows it to the trail and filters it', async () => {
    // The front desk opens a patient's record: that read is what the admin then finds.
    const desk = await practice.page();
    await desk.goto(`${practice.baseUrl}/patients/1`);
    const patientName = (await desk.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
    await desk.context().close();

    const admin = await createTestUser(practice.t.em(), 'admin', { name: 'Ada Admin' });
    const page = await openPage(practice.browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${practice.baseUrl}/login`);
    await page.getByLabel('E-mail').fill(admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${practice.baseUrl}/day`);

    await page.goto(`${practice.baseUrl}/patients/1`);
    const log = page.getByRole('region', { name: 'Who accessed this record' });
    await expect(log.getByRole('cell', { name: 'Rita Reception' }).first().isVisible()).resolves.toBe(true);
    expect(await checkAndPhotograph(page, 'patient-access-log')).toEqual([]);

    await log.getByRole('link', { name: 'All of them in the audit trail' }).click();
    await page.waitForURL(/\/admin\/audit\?patient_id=1$/);
    await expect(page.getByRole('cell', { name: patientName }).first().isVisible()).resolves.toBe(true);

    await page.getByLabel('Action').selectOption('patient.read');
    await page.waitForURL(/action=patient.read/);
    await waitUntil(async () => (await page.locator('.audit-table tbody tr').count()) > 0);
    const actions = await page.locator('.audit-table tbody td[data-label="What"]').allTextContents();
    expect(new Set(actions.map((text) => text.trim()))).toEqual(new Set(['Patient record viewed']));
    expect(await checkAndPhotograph(page, 'audit-trail')).toEqual([]);
    await page.context().close();
  }, 120_000);
});
