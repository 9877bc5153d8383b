import argon2 from 'argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 80 ms here, enough to make guessing
 * from a stolen table slow while a sign-in stays quick.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
/** Long passphrases are welcome; this only bounds the work one request can ask of the hash. */
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** Hashed once, so that an unknown e-mail costs the same verification time as a wrong password. */
let decoy: Promise<string> | undefined;

/** True when the password matches; with no account, checks against a decoy so both failures take as long. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  decoy ??= hashPassword('decoy password that matches nothing');
  const against = hash ?? (await decoy);
  const matches = await argon2.verify(against, password).catch(() => false);
  return matches && hash !== undefined;
}
