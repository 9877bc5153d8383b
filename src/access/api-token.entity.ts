import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { User } from './user.entity.js';

/** A bearer token for integrators; only its SHA-256 is stored, and it acts with its user's role. */
@Entity({ tableName: 'api_token', repository: () => ApiTokenRepository })
export class ApiToken extends BaseEntity {
  [EntityRepositoryType]?: ApiTokenRepository;
  [OptionalProps]?: GeneratedProps | 'expiresAt' | 'lastUsedAt' | 'revokedAt';

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: 'api_token_user_id_index' })
  user!: Ref<User>;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'string', length: 64, unique: 'api_token_hash_unique', hidden: true })
  tokenHash!: string;

  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;
}
