import { parse } from 'bowser';
import type { ClinicClock } from '../common/time/clinic-time.js';
import type { SignInRow } from './sign-ins.repository.js';

export interface SignInView {
  handle: string;
  current: boolean;
  /** "Chrome on Windows"; the whole User-Agent header is `userAgent`, shown on hover. */
  device: string;
  userAgent: string;
  ip: string;
  signedIn: string;
  lastSeen: string;
}

export interface SignInsPageView {
  title: string;
  nav: { signIns: true };
  signIns: SignInView[];
  /** Other sign-ins than this browser's, which "Sign out everywhere else" would end. */
  hasOthers: boolean;
  /** What the last action did, after its redirect. */
  notice?: string;
}

/** The confirmations a sign-out redirects back with (`?done=…`): the page only names what it knows. */
const NOTICES: Record<string, string> = {
  'signed-out': 'That sign-in has ended: the browser must sign in again.',
  'signed-out-others': 'Every other sign-in has ended: only this browser is still signed in.',
};
export type SignOutNotice = 'signed-out' | 'signed-out-others';

/** The browser and system a User-Agent header names, in two words; the parser knows the many spellings. */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os } = parse(userAgent);
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  return browser.name ?? (os.name ? `A browser on ${os.name}` : 'Unknown device');
}

export function signInsPage(rows: SignInRow[], clock: ClinicClock, done: unknown): SignInsPageView {
  return {
    title: 'Your sign-ins',
    nav: { signIns: true },
    signIns: rows.map((row) => ({
      handle: row.handle,
      current: row.current,
      device: deviceOf(row.userAgent),
      userAgent: row.userAgent ?? '',
      ip: row.ip || 'unknown',
      signedIn: clock.dateTime(new Date(row.signedInAt)),
      lastSeen: clock.dateTime(new Date(row.lastSeenAt)),
    })),
    hasOthers: rows.some((row) => !row.current),
    notice: typeof done === 'string' ? NOTICES[done] : undefined,
  };
}
