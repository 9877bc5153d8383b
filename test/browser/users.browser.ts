import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { createTestUser, TEST_PASSWORD } from '../utils/sign-in.js';
import { openPage, photograph, useDemoPractice } from './browser.js';

async function signIn(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('users and passwords in a real browser', () => {
  const practice = useDemoPractice();

  it('an admin creates a user and a token; the new user must choose a password at first sign-in', async () => {
    const admin = await createTestUser(practice.t.em(), 'admin', { name: 'Ada Admin' });
    const page = await openPage(practice.browser, { viewport: { width: 1280, height: 800 } });
    await signIn(page, practice.baseUrl, admin.email);
    await page.waitForURL(`${practice.baseUrl}/day`);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${practice.baseUrl}/users`);
    await photograph(page, 'users-list');

    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('E-mail').fill('new.desk@clinic.example');
    await page.getByLabel('Name').fill('Nora Desk');
    await page.getByLabel('Role').selectOption('receptionist');
    await page.getByLabel(/First password/).fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.locator('#password-error').waitFor();
    await photograph(page, 'user-new-invalid');
    await page.getByLabel(/First password/).fill('a long enough first password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Nora Desk' }).waitFor();

    await page.getByLabel('Token name').fill('Billing integration');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.locator('code.token').textContent();
    expect(token).toMatch(/^tsm_/);
    await photograph(page, 'user-detail-new-token');
    await page.context().close();

    const newcomer = await openPage(practice.browser, { viewport: { width: 375, height: 740 } });
    await signIn(newcomer, practice.baseUrl, 'new.desk@clinic.example', 'a long enough first password');
    await newcomer.waitForURL(`${practice.baseUrl}/account/password`);
    await photograph(newcomer, 'account-password-required');
    await newcomer.getByLabel('Current password').fill('a long enough first password');
    await newcomer.getByLabel(/^New password \(at least/).fill('my very own passphrase');
    await newcomer.getByLabel('New password again').fill('my very own passphrase');
    await newcomer.getByRole('button', { name: 'Save password' }).click();
    await newcomer.waitForURL(`${practice.baseUrl}/day`);
    await newcomer.context().close();
    // Two users' flows, each page checked and photographed at two widths.
  }, 180_000);

  it('a user sees their sign-ins, signs the phone out, then everywhere else', async () => {
    const user = await createTestUser(practice.t.em(), 'receptionist', { name: 'Sam Okafor' });
    const phone = await openPage(practice.browser, {
      viewport: { width: 375, height: 740 },
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    });
    await signIn(phone, practice.baseUrl, user.email);
    await phone.waitForURL(`${practice.baseUrl}/day`);
    const tablet = await openPage(practice.browser, {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    });
    await signIn(tablet, practice.baseUrl, user.email);
    await tablet.waitForURL(`${practice.baseUrl}/day`);
    const page = await openPage(practice.browser, { viewport: { width: 1280, height: 800 } });
    await signIn(page, practice.baseUrl, user.email);
    await page.waitForURL(`${practice.baseUrl}/day`);
    // Their name in the header opens their account; its tabs lead to the sign-ins.
    await page.locator('.signed-in-as a').click();
    await page.waitForURL(`${practice.baseUrl}/account/password`);
    await page
      .getByRole('navigation', { name: 'Your account' })
      .getByRole('link', { name: 'Sign-ins' })
      .click();
    await page.waitForURL(`${practice.baseUrl}/account/sessions`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await photograph(page, 'account-sessions');

    await page.getByRole('button', { name: /^Sign out Safari on iOS/ }).click();
    await page.getByText('That sign-in has ended').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await phone.reload();
    expect(new URL(phone.url()).pathname).toBe('/login');

    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByText('Every other sign-in has ended').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await photograph(page, 'account-sessions-alone');
    await tablet.reload();
    expect(new URL(tablet.url()).pathname).toBe('/login');
    for (const opened of [phone, tablet, page]) await opened.context().close();
  }, 180_000);
});
