import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createTherapist } from '../utils/factories.js';
import { enrol, SteppingClock, totpCode } from '../utils/mfa.js';
import { createTestUser, signInAs, TEST_PASSWORD } from '../utils/sign-in.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { launchChromium, openPage, photograph } from './browser.js';

/** Signs in with the password and waits for the page it leads to (the code step, or enrolment). */
async function passwordStep(page: Page, baseUrl: string, email: string, leadsTo: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await Promise.all([
    page.waitForURL(`${baseUrl}${leadsTo}`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

describe('two-factor sign-in in a real browser', () => {
  const clock = new SteppingClock();
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ MFA_REQUIRED: 'true', CLINIC_NAME: 'Riverside Therapy Practice' }, { clock });
    baseUrl = await t.listen();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await t.close();
  });

  it('a therapist is held on enrolment, scans the QR code, keeps the recovery codes, then signs in with a code', async () => {
    const therapist = await createTherapist(t.em(), { name: 'Theo Therapist' });
    const user = await createTestUser(t.em(), 'therapist', {
      therapistId: therapist.id,
      name: 'Theo Therapist',
    });
    const page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await passwordStep(page, baseUrl, user.email, '/account/mfa');
    await photograph(page, 'mfa-required');

    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.waitForLoadState('load');
    // A therapist's write commits just after its answer (RowSecurityInterceptor): the page the redirect loads
    // can, rarely, still be the one from before. Reloading then shows it as a person would see it.
    for (let i = 0; i < 5 && (await page.locator('img.mfa-qr').count()) === 0; i++) {
      await page.waitForTimeout(100);
      await page.reload();
    }
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    // Drawn: the data: URL decodes into an image (the page's CSP admits data: images).
    await page.waitForFunction("document.querySelector('img.mfa-qr')?.naturalWidth > 0");
    const secret = (await page.locator('.mfa-secret').textContent()) ?? '';
    await page.getByLabel('The 6-digit code the app shows').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.locator('#confirm_code-error').waitFor();
    await photograph(page, 'mfa-setup-invalid');
    await page.getByLabel('The 6-digit code the app shows').fill(totpCode(secret, clock.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    expect(await page.locator('.recovery-codes code').count()).toBe(10);
    expect(await page.locator('.mfa-secret').count()).toBe(0);
    await photograph(page, 'mfa-recovery-codes');
    await Promise.all([
      page.waitForURL(`${baseUrl}/day`),
      page.getByRole('button', { name: 'Continue' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(`${baseUrl}/login`),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);

    // The next sign-in: password, then a code of a later time step (the enrolment used this one).
    clock.nextStep();
    await passwordStep(page, baseUrl, user.email, '/login/mfa');
    await page.getByLabel('Code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    await photograph(page, 'login-mfa-wrong');
    await page.getByLabel('Code').fill(totpCode(secret, clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${baseUrl}/day`);
    await page.goto(`${baseUrl}/account/mfa`);
    await photograph(page, 'mfa-on-required');
    await page.context().close();

    // An admin (enrolled beforehand) resets it on the therapist's user page, after opening the confirmation.
    const admin = await createTestUser(t.em(), 'admin', { name: 'Ada Admin' });
    const { secret: adminSecret } = await enrol(await signInAs(t.app.getHttpServer(), admin.email), clock);
    const desk = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await passwordStep(desk, baseUrl, admin.email, '/login/mfa');
    await desk.getByLabel('Code').fill(totpCode(adminSecret, clock.now()));
    await desk.getByRole('button', { name: 'Verify' }).click();
    await desk.waitForURL(`${baseUrl}/day`);
    await desk.goto(`${baseUrl}/users/${user.id}`);
    await desk.getByText('Reset two-factor…').click();
    await photograph(desk, 'user-mfa-reset');
    await desk.getByRole('button', { name: 'Yes, reset two-factor' }).click();
    await desk.waitForURL(`${baseUrl}/users/${user.id}#mfa`);
    expect(await desk.locator('#mfa + p').textContent()).toMatch(/Off/);
    await desk.context().close();
  }, 180_000);
});
