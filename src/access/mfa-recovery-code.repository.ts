import { EntityRepository } from '@mikro-orm/postgresql';
import type { MfaRecoveryCode } from './mfa-recovery-code.entity.js';

export class MfaRecoveryCodeRepository extends EntityRepository<MfaRecoveryCode> {
  /** The user's codes become these (hashes): every earlier one, used or not, stops working. */
  async replaceFor(userId: number, codeHashes: string[]): Promise<void> {
    await this.deleteAllOf(userId);
    for (const codeHash of codeHashes) this.create({ user: userId, codeHash });
    await this.getEntityManager().flush();
  }

  /**
   * Spends the code if it is the user's and unused: one conditional update, so two requests racing with the same
   * code cannot both succeed (the second waits for the first's row lock, then finds it used).
   */
  async redeem(userId: number, codeHash: string, now: Date): Promise<boolean> {
    return (await this.nativeUpdate({ user: userId, codeHash, usedAt: null }, { usedAt: now })) === 1;
  }

  countUnused(userId: number): Promise<number> {
    return this.count({ user: userId, usedAt: null });
  }

  async deleteAllOf(userId: number): Promise<void> {
    await this.nativeDelete({ user: userId });
  }
}
