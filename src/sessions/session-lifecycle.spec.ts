import { describe, expect, it } from '@jest/globals';
import { allowedTransitions } from './session-lifecycle.js';
import { SessionStatus } from './session-status.js';

const policy = { lateCancelHours: 24 };
const start = new Date('2025-11-15T10:00:00Z');
const hoursBefore = (hours: number): Date => new Date(start.getTime() - hours * 3_600_000);
const scheduled = { status: SessionStatus.Scheduled, startsAt: start };

describe('allowedTransitions', () => {
  it('offers only a cancellation before the session, Cancelled until the late window opens', () => {
    expect(allowedTransitions(scheduled, hoursBefore(24.01), policy)).toEqual([SessionStatus.Cancelled]);
    expect(allowedTransitions(scheduled, hoursBefore(24), policy)).toEqual([SessionStatus.LateCancelled]);
    expect(allowedTransitions(scheduled, hoursBefore(1), policy)).toEqual([SessionStatus.LateCancelled]);
  });

  it('offers Completed and No-Show, and no longer a cancellation, once the session has started', () => {
    expect(allowedTransitions(scheduled, start, policy)).toEqual([
      SessionStatus.Completed,
      SessionStatus.NoShow,
    ]);
  });

  it.each([
    SessionStatus.Completed,
    SessionStatus.Cancelled,
    SessionStatus.LateCancelled,
    SessionStatus.NoShow,
  ])('offers only a reopen from %s', (status) => {
    expect(allowedTransitions({ status, startsAt: start }, hoursBefore(48), policy)).toEqual([
      SessionStatus.Scheduled,
    ]);
    expect(allowedTransitions({ status, startsAt: start }, start, policy)).toEqual([SessionStatus.Scheduled]);
  });

  it('uses the configured late-cancel window', () => {
    expect(allowedTransitions(scheduled, hoursBefore(30), { lateCancelHours: 48 })).toEqual([
      SessionStatus.LateCancelled,
    ]);
  });
});
