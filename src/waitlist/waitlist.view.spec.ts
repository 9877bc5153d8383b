import { describe, expect, it } from '@jest/globals';
import { dateRangeText, preferencesText } from './waitlist.view.js';

describe('waitlist texts', () => {
  it('writes a date range with its year once, or both years across a new year', () => {
    expect(dateRangeText('2027-03-01', '2027-03-31')).toBe('1 Mar – 31 Mar 2027');
    expect(dateRangeText('2026-12-04', '2027-01-01')).toBe('4 Dec 2026 – 1 Jan 2027');
    expect(dateRangeText('2027-03-09', '2027-03-09')).toBe('9 Mar 2027');
  });

  it('writes the days and times that suit, or says any', () => {
    const none = { weekdays: null, timeFrom: null, timeTo: null };
    expect(preferencesText(none)).toBe('Any day or time');
    expect(preferencesText({ ...none, weekdays: [2, 4], timeFrom: '09:00:00', timeTo: '13:00:00' })).toBe(
      'Tue, Thu · 09:00–13:00',
    );
    expect(preferencesText({ ...none, timeFrom: '14:00:00' })).toBe('from 14:00');
    expect(preferencesText({ ...none, weekdays: [7], timeTo: '12:00:00' })).toBe('Sun · until 12:00');
  });
});
