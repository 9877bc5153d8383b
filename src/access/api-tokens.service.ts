import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Clock } from '../common/time/clock.js';
import { notFoundProblem } from '../common/problems/problem.exception.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { hashToken } from './authentication.service.js';
import { User } from './user.entity.js';

/** Recognisable in logs and by secret scanners; 32 random bytes behind it. */
const TOKEN_PREFIX = 'tsm_';

export interface IssuedToken {
  token: ApiToken;
  /** The secret itself: shown once, never stored. */
  secret: string;
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: ApiTokenRepository,
    private readonly clock: Clock,
  ) {}

  async issue(userId: number, name: string, expiresAt: Date | null = null): Promise<IssuedToken> {
    return issueToken(this.em, userId, name, expiresAt);
  }

  listOf(userId: number): Promise<ApiToken[]> {
    return this.tokens.listOf(userId);
  }

  async revoke(userId: number, tokenId: number): Promise<void> {
    const token = await this.tokens.findOne({ id: tokenId, user: userId });
    if (!token) throw notFoundProblem(`User ${userId} has no token ${tokenId}.`);
    token.revokedAt ??= this.clock.now();
    await this.em.flush();
  }
}

/** Also used by `npm run token:create`, which has no Nest container. */
export async function issueToken(
  em: EntityManager,
  userId: number,
  name: string,
  expiresAt: Date | null,
): Promise<IssuedToken> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const token = em.create(ApiToken, {
    user: em.getReference(User, userId),
    name: name.trim(),
    tokenHash: hashToken(secret),
    expiresAt,
  });
  await em.flush();
  return { token, secret };
}
