import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Role } from './roles.js';

/** The roles MFA_REQUIRED applies to: those who can read every record, or their patients' notes. */
const ROLES_THAT_MAY_BE_REQUIRED: readonly Role[] = ['admin', 'therapist'];

/** Whether a user of this role must sign in with a second factor, given MFA_REQUIRED. */
export const mfaRequiredFor = (role: Role, required: boolean): boolean =>
  required && ROLES_THAT_MAY_BE_REQUIRED.includes(role);

/** The authenticator apps' defaults (RFC 6238: SHA-1, 6 digits, 30 s): every app reads them. */
const PERIOD_SECONDS = 30;
/** One step either side: a phone whose clock is up to 30 s off (or a code typed as it changed) still works. */
const DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;
export const TOTP_CODE = /^\d{6}$/;

const totpOf = (secret: string): TOTP =>
  new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD_SECONDS, digits: 6, algorithm: 'SHA1' });

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The time step a six-digit code was made for, if it matches one within the drift window around `now`. */
export function matchingStep(secret: string, code: string, now: Date): number | null {
  if (!TOTP_CODE.test(code)) return null;
  const totp = totpOf(secret);
  const timestamp = now.getTime();
  const delta = totp.validate({ token: code, timestamp, window: DRIFT_STEPS });
  return delta === null ? null : totp.counter({ timestamp }) + delta;
}

/** The otpauth:// URI an authenticator app scans: the practice as issuer, the e-mail as the account. */
export function otpauthUri(secret: string, issuer: string, account: string): string {
  const totp = totpOf(secret);
  totp.issuer = issuer;
  totp.label = account;
  return totp.toString();
}

/** The QR code of the URI as an SVG data: URL, drawn on the server: the page needs no script to show it. */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The secret in groups of four, for typing into an app by hand. */
export const groupedSecret = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** No 0/o, 1/l/i: a code read off paper is typed without guessing (31 symbols). */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes of 16 symbols (79 bits: too many to guess, so a plain SHA-256 keeps them safe), as xxxx-xxxx-…. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => RECOVERY_ALPHABET.charAt(randomInt(RECOVERY_ALPHABET.length))).join(''),
    ).join('-'),
  );
}

/** The code as stored: lower case, without the dashes and spaces people type or leave out. */
export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');
