import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntType, EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { BaseEntity, type GeneratedProps } from '../database/base.entity.js';
import { Therapist } from '../therapists/therapist.entity.js';
import type { Role } from './roles.js';
import { UserRepository } from './user.repository.js';

/** A staff account: signs in with e-mail and password; a therapist's account is linked to that therapist. */
@Entity({ tableName: 'staff_user', repository: () => UserRepository })
@Unique({ name: 'staff_user_therapist_unique', properties: ['therapist'] })
export class User extends BaseEntity {
  [EntityRepositoryType]?: UserRepository;
  [OptionalProps]?:
    | GeneratedProps
    | 'therapist'
    | 'disabled'
    | 'mustChangePassword'
    | 'lastSignedInAt'
    | 'mfaSecret'
    | 'mfaEnabledAt'
    | 'mfaLastUsedStep';

  /** Stored lower-cased; unique. */
  @Property({ type: 'string', length: 254, unique: 'staff_user_email_unique' })
  email!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text' })
  role!: Role;

  @ManyToOne(() => Therapist, { ref: true, nullable: true, deleteRule: 'restrict' })
  therapist: Ref<Therapist> | null = null;

  /** argon2id; never leaves the access module. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'boolean' })
  disabled = false;

  /** Set by an admin's password reset: the next sign-in must choose a new password. */
  @Property({ type: 'boolean' })
  mustChangePassword = false;

  @Property({ type: 'datetime', nullable: true })
  lastSignedInAt: Date | null = null;

  /**
   * The TOTP secret, encrypted (MfaSecretCipher); set when enrolment starts, in use once `mfaEnabledAt` is set.
   * Never leaves the access module, never shown again after the enrolment is confirmed.
   */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  mfaSecret: string | null = null;

  /** When the user confirmed their authenticator with a first code; null: no second factor. */
  @Property({ type: 'datetime', nullable: true })
  mfaEnabledAt: Date | null = null;

  /** The time step of the last code accepted: a code of that step or an earlier one is a replay. */
  @Property({ type: new BigIntType('number'), nullable: true, hidden: true })
  mfaLastUsedStep: number | null = null;
}
