import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '../problems/problem.exception.js';
import { resolveDateRange } from './date-range.js';

describe('resolveDateRange', () => {
  it('takes date-times as they are', () => {
    expect(resolveDateRange('2025-11-01T08:00:00+01:00', '2025-11-02T00:00:00Z', 'UTC')).toEqual({
      from: new Date('2025-11-01T07:00:00Z'),
      to: new Date('2025-11-02T00:00:00Z'),
    });
  });

  it('reads dates as local midnight and includes the whole `to` day', () => {
    expect(resolveDateRange('2025-11-01', '2025-11-01', 'America/New_York')).toEqual({
      from: new Date('2025-11-01T04:00:00Z'),
      to: new Date('2025-11-02T04:00:00Z'),
    });
  });

  it('follows a daylight-saving change: the last Sunday of March in Berlin has 23 hours', () => {
    const { from, to } = resolveDateRange('2025-03-30', '2025-03-30', 'Europe/Berlin');
    expect(from?.toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(to?.toISOString()).toBe('2025-03-30T22:00:00.000Z');
  });

  it('leaves open ends open', () => {
    expect(resolveDateRange(undefined, undefined, 'UTC')).toEqual({ from: undefined, to: undefined });
  });

  it('rejects an end before the start, naming `to`', () => {
    expect(() => resolveDateRange('2025-11-02', '2025-11-01', 'UTC')).toThrow(ProblemException);
    try {
      resolveDateRange('2025-11-02', '2025-11-01', 'UTC');
    } catch (error) {
      expect((error as ProblemException).errors).toEqual([{ field: 'to', message: 'to must be after from' }]);
    }
  });
});
