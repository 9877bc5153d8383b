import { describe, expect, it } from '@jest/globals';
import { TOTP, Secret } from 'otpauth';
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { MfaSecretCipher } from './mfa-secret-cipher.js';
import {
  groupedSecret,
  hashRecoveryCode,
  matchingStep,
  mfaRequiredFor,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
} from './totp.js';

const at = new Date('2026-12-03T10:00:15Z');
const step = Math.floor(at.getTime() / 30_000);
const codeAt = (secret: string, offsetSteps: number): string =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: at.getTime() + offsetSteps * 30_000,
  });

describe('TOTP rules', () => {
  const secret = newTotpSecret();

  it('matches a code of this step or one either side, and names its step', () => {
    expect(matchingStep(secret, codeAt(secret, 0), at)).toBe(step);
    expect(matchingStep(secret, codeAt(secret, -1), at)).toBe(step - 1);
    expect(matchingStep(secret, codeAt(secret, 1), at)).toBe(step + 1);
    expect(matchingStep(secret, codeAt(secret, 2), at)).toBeNull();
    expect(matchingStep(secret, codeAt(secret, -2), at)).toBeNull();
    expect(matchingStep(secret, '12345', at)).toBeNull();
    expect(matchingStep(secret, 'abcdef', at)).toBeNull();
  });

  it('makes a 160-bit base32 secret, an otpauth URI with the practice as issuer, and groups of four', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = otpauthUri(secret, 'Riverside Therapy Practice', 'kim@clinic.example');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Riverside%20Therapy%20Practice:kim%40clinic\.example\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(groupedSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });

  it('makes ten distinct recovery codes; their hash ignores case, dashes and spaces', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    codes.forEach((code) => {
      expect(code).toMatch(/^[a-hj-km-np-z2-9]{4}(-[a-hj-km-np-z2-9]{4}){3}$/);
    });
    expect(hashRecoveryCode('abcd-efgh-jkmn-pqrs')).toBe(hashRecoveryCode(' ABCD EFGH jkmnpqrs '));
    expect(hashRecoveryCode('abcd-efgh-jkmn-pqrs')).not.toBe(hashRecoveryCode('abcd-efgh-jkmn-pqrt'));
  });

  it('requires it only of admins and therapists, and only when MFA_REQUIRED is on', () => {
    expect(mfaRequiredFor('admin', true)).toBe(true);
    expect(mfaRequiredFor('therapist', true)).toBe(true);
    expect(mfaRequiredFor('receptionist', true)).toBe(false);
    expect(mfaRequiredFor('admin', false)).toBe(false);
  });
});

describe('MfaSecretCipher', () => {
  const cipherWith = (key: string): MfaSecretCipher =>
    new MfaSecretCipher({
      get: () => ({ mfaEncryptionKey: key }),
    } as unknown as ConfigService<AppConfig, true>);
  const cipher = cipherWith('k'.repeat(32));

  it('stores no clear secret and gives it back for the same user and key only', () => {
    const secret = newTotpSecret();
    const stored = cipher.encrypt(7, secret);
    expect(stored).not.toContain(secret);
    expect(cipher.encrypt(7, secret)).not.toBe(stored);
    expect(cipher.decrypt(7, stored)).toBe(secret);
    expect(cipher.decrypt(8, stored)).toBeUndefined();
    expect(cipherWith('o'.repeat(32)).decrypt(7, stored)).toBeUndefined();
    expect(cipher.decrypt(7, 'garbage')).toBeUndefined();
  });
});
