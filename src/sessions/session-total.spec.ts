import { describe, expect, it } from '@jest/globals';
import { totalText } from './session.view.js';

describe('totalText', () => {
  it('shows an exact total in full and an estimate rounded, with "about"', () => {
    expect(totalText(9876, false)).toBe('9,876');
    expect(totalText(1_234_567, true)).toBe('about 1.2 M');
    expect(totalText(12_345, true)).toBe('about 12.3 K');
  });
});
