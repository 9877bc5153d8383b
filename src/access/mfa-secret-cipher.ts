import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';

/**
 * TOTP secrets cannot be hashed (the server must compute codes from them), so they are stored encrypted with
 * AES-256-GCM under a key derived from MFA_ENCRYPTION_KEY (or SESSION_SECRET): a copy of the database alone makes
 * no codes. The user's id is authenticated with each secret, so a secret copied onto another account fails.
 */
@Injectable()
export class MfaSecretCipher {
  private readonly key: Buffer;

  constructor(config: ConfigService<AppConfig, true>) {
    const material = config.get('access', { infer: true }).mfaEncryptionKey;
    this.key = Buffer.from(hkdfSync('sha256', material, '', 'therapy-sessions totp secret', 32));
  }

  encrypt(userId: number, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv).setAAD(aadOf(userId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), sealed].map(encode).join('.');
  }

  /** Undefined when the stored value was made under another key (or altered): it then matches no code. */
  decrypt(userId: number, stored: string): string | undefined {
    const [version, iv, tag, sealed] = stored.split('.');
    if (version !== VERSION || !iv || !tag || !sealed) return undefined;
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64url'))
        .setAAD(aadOf(userId))
        .setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return undefined;
    }
  }
}

const aadOf = (userId: number): Buffer => Buffer.from(`staff_user:${userId}`);
const encode = (part: string | Buffer): string =>
  typeof part === 'string' ? part : part.toString('base64url');
