import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { MfaRecoveryCodeRepository } from './mfa-recovery-code.repository.js';
import { User } from './user.entity.js';

/** A one-time code that stands in for the authenticator; only its SHA-256 is stored, and it is spent once. */
@Entity({ tableName: 'mfa_recovery_code', repository: () => MfaRecoveryCodeRepository })
export class MfaRecoveryCode extends BaseEntity {
  [EntityRepositoryType]?: MfaRecoveryCodeRepository;
  [OptionalProps]?: GeneratedProps | 'usedAt';

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: 'mfa_recovery_code_user_id_index' })
  user!: Ref<User>;

  @Property({ type: 'string', length: 64, unique: 'mfa_recovery_code_hash_unique', hidden: true })
  codeHash!: string;

  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;
}
