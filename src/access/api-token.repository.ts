import { EntityRepository } from '@mikro-orm/postgresql';
import type { ApiToken } from './api-token.entity.js';

export class ApiTokenRepository extends EntityRepository<ApiToken> {
  /** A token that may act now: not revoked, not expired, its user not disabled. */
  findUsable(tokenHash: string, now: Date): Promise<ApiToken | null> {
    return this.findOne(
      {
        tokenHash,
        revokedAt: null,
        $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
        user: { disabled: false },
      },
      { populate: ['user'] },
    );
  }

  /** Last use to the minute: one write a minute per busy token rather than one per request. */
  async touch(id: number, now: Date): Promise<void> {
    await this.nativeUpdate(
      { id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(now.getTime() - 60_000) } }] },
      { lastUsedAt: now },
    );
  }

  listOf(userId: number): Promise<ApiToken[]> {
    return this.find({ user: userId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  async revokeAllOf(userId: number, now: Date): Promise<void> {
    await this.nativeUpdate({ user: userId, revokedAt: null }, { revokedAt: now });
  }
}
