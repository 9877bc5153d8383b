import { describe, expect, it } from '@jest/globals';
import { escapeLike, phoneDigits, searchWords } from './search.js';

describe('search text', () => {
  it('takes LIKE wildcards in the user’s text literally', () => {
    expect(escapeLike('ann')).toBe('ann');
    expect(escapeLike('100%_sure\\')).toBe('100\\%\\_sure\\\\');
  });

  it('splits a search into words, in any order, at most six', () => {
    expect(searchWords('  Boyer   Dedric ')).toEqual(['Boyer', 'Dedric']);
    expect(searchWords('a b c d e f g h')).toHaveLength(6);
    expect(searchWords('   ')).toEqual([]);
  });

  it('reads a phone number whatever its punctuation, with four digits or more, and nothing else', () => {
    expect(phoneDigits('+44 (20) 7946-0000')).toBe('442079460000');
    expect(phoneDigits('020.7946')).toBe('0207946');
    expect(phoneDigits('123')).toBeUndefined();
    expect(phoneDigits('maria 2020')).toBeUndefined();
  });
});
