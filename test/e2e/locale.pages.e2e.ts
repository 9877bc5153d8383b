import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSession } from '../utils/factories.js';
import { htmlOf } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('CLINIC_LOCALE', () => {
  let british: TestApp;
  let german: TestApp;

  beforeAll(async () => {
    british = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
    german = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin', CLINIC_LOCALE: 'de-de' });
    for (const app of [british, german]) {
      await createSession(app.em(), { startsAt: new Date('2025-11-01T09:00:00Z') });
    }
  });
  afterAll(async () => {
    await british.close();
    await german.close();
  });

  it('is en-GB by default: the page language and its printed dates', async () => {
    const $ = htmlOf(await british.http.get('/sessions?from=').expect(200));
    expect($('html').attr('lang')).toBe('en-GB');
    expect($('tbody td a').first().text()).toBe('Sat 1 Nov · 10:00–10:50');
    expect($('tbody td a').first().attr('title')).toBe('Sat, 1 Nov 2025');
  });

  it('sets <html lang> and every printed date, while date inputs keep their ISO values', async () => {
    const $ = htmlOf(await german.http.get('/sessions?from=2025-11-01').expect(200));
    expect($('html').attr('lang')).toBe('de-DE');
    expect($('tbody td a').first().text()).toBe('Sa., 1. Nov. · 10:00–10:50');
    expect($('tbody td a').first().attr('title')).toBe('Sa., 1. Nov. 2025');
    expect($('tbody td small').first().text()).toBe('MEZ');
    expect($('input[name=from]').val()).toBe('2025-11-01');
    const week = htmlOf(await german.http.get('/calendar?week=2025-11-01').expect(200));
    expect(week('html').attr('lang')).toBe('de-DE');
    expect(week('#week-label').text()).toContain('Montag, 27. Oktober – Sonntag, 2. November 2025');
  });
});
