import { describe, expect, it } from '@jest/globals';
import { containsPattern } from './search.js';

describe('containsPattern', () => {
  it('wraps the text in wildcards and escapes LIKE metacharacters', () => {
    expect(containsPattern('ann')).toBe('%ann%');
    expect(containsPattern('100%_sure\\')).toBe('%100\\%\\_sure\\\\%');
  });
});
