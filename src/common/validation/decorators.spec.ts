import { describe, expect, it } from '@jest/globals';
import { codePointLength, parseInstant, parseLocalDate } from './decorators.js';

describe('parseInstant', () => {
  it.each([
    ['2025-11-15T10:00:00Z', '2025-11-15T10:00:00.000Z'],
    ['2025-11-15T10:00Z', '2025-11-15T10:00:00.000Z'],
    ['2025-11-15T11:30:00+01:30', '2025-11-15T10:00:00.000Z'],
    ['2025-11-15T10:00:00.250-00:00', '2025-11-15T10:00:00.250Z'],
  ])('accepts %s', (input, iso) => {
    expect(parseInstant(input)?.toISOString()).toBe(iso);
  });

  it.each([
    '2025-11-15T10:00:00',
    '2025-11-15',
    '2025-02-29T10:00:00Z',
    '2025-11-15T24:30:00Z',
    '1899-12-31T23:59:59Z',
    'tomorrow',
    '',
  ])('rejects %s', (input) => {
    expect(parseInstant(input)).toBeUndefined();
  });

  it('rejects non-strings', () => {
    expect(parseInstant(1_763_200_800_000)).toBeUndefined();
    expect(parseInstant(null)).toBeUndefined();
  });
});

describe('parseLocalDate', () => {
  it('accepts real dates written YYYY-MM-DD only', () => {
    expect(parseLocalDate('2024-02-29')?.toString()).toBe('2024-02-29');
    expect(parseLocalDate('2025-02-29')).toBeUndefined();
    expect(parseLocalDate('20240229')).toBeUndefined();
    expect(parseLocalDate('2024-2-9')).toBeUndefined();
  });
});

describe('codePointLength', () => {
  it('counts code points as PostgreSQL does, including variation selectors', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀')).toBe(1);
    expect(codePointLength('❤️')).toBe(2);
  });
});
