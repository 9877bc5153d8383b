import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ProblemException,
  notFoundProblem,
  validationProblem,
} from '../common/problems/problem.exception.js';
import { Clock } from '../common/time/clock.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { TherapistRepository } from '../therapists/therapist.repository.js';
import { createAccount } from './accounts.js';
import { ApiTokenRepository } from './api-token.repository.js';
import type { ApiToken } from './api-token.entity.js';
import { ApiTokensService, type IssuedToken } from './api-tokens.service.js';
import type { CreateTokenDto, CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { generateTemporaryPassword, passwordProblem, type PasswordOwner } from './password-policy.js';
import { hashPassword } from './passwords.js';
import type { Role } from './roles.js';
import type { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';

/** What a change of a user answers: the user, and the temporary password when one was set. */
export interface ChangedUser {
  user: User;
  temporaryPassword?: string;
}

/**
 * User administration (admins only; the routes say so): accounts, their role and therapist, disabling (which
 * ends every session and token of the user at once) and password resets. There is always an enabled admin left.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly tokens: ApiTokenRepository,
    private readonly issuer: ApiTokensService,
    private readonly clock: Clock,
    private readonly therapists: TherapistRepository,
  ) {}

  list(): Promise<User[]> {
    return this.users.list();
  }

  async get(id: number): Promise<User> {
    const user = await this.users.findOne(id);
    if (!user) throw notFoundProblem(`User ${id} does not exist.`);
    return user;
  }

  /** The first password is the admin's choice, so it is temporary: the user picks their own at sign-in. */
  async create(input: CreateUserDto): Promise<User> {
    assertPasswordAllowed(input.password, input);
    await this.assertTherapistFits(input.role, input.therapist_id ?? null);
    return createAccount(this.em, {
      email: input.email,
      name: input.name,
      role: input.role,
      password: input.password,
      therapistId: input.therapist_id ?? null,
      mustChangePassword: true,
    });
  }

  async update(id: number, input: UpdateUserDto, actingUserId: number | null): Promise<ChangedUser> {
    return this.em.transactional(async () => {
      // Admin changes take turns, so two admins cannot each disable the other and leave none.
      await this.users.lockAdministration();
      const user = await this.users.findOne(id);
      if (!user) throw notFoundProblem(`User ${id} does not exist.`);
      const role = input.role ?? user.role;
      const therapistId =
        input.therapist_id !== undefined
          ? input.therapist_id
          : role === 'therapist'
            ? (user.therapist?.id ?? null)
            : null;
      await this.assertTherapistFits(role, therapistId);
      const roleChanges = role !== user.role;
      const losesAdmin = user.role === 'admin' && (role !== 'admin' || input.disabled === true);
      if (losesAdmin && !(await this.users.hasOtherEnabledAdmin(user.id))) {
        throw new ProblemException(
          'conflict',
          `${user.id === actingUserId ? 'You are' : 'This user is'} the only enabled admin: make another admin first.`,
        );
      }
      if (input.password !== undefined && !input.reset_password) {
        throw validationProblem([
          { field: 'password', message: 'password goes only with reset_password: true' },
        ]);
      }
      if (input.name !== undefined) user.name = input.name;
      user.role = role;
      user.therapist =
        therapistId === null ? null : this.em.getReference(Therapist, therapistId, { wrapped: true });
      const temporaryPassword = input.reset_password
        ? await this.resetPassword(user, input.password)
        : undefined;
      if (input.disabled !== undefined) user.disabled = input.disabled;
      await this.em.flush();
      // A disabled user, a reset password or a new role: whatever they had signed in as ends now.
      if (input.disabled === true || input.reset_password || roleChanges) {
        await this.users.endSessionsOf(user.id);
      }
      if (input.disabled === true) await this.tokens.revokeAllOf(user.id, this.clock.now());
      return { user, temporaryPassword };
    });
  }

  /**
   * An admin's password reset, the one place it happens: the admin's choice (held to the password rule) or a
   * generated one, which is answered so it can be shown once. The next sign-in must replace it; the caller's
   * flush is followed by the end of every session of the user.
   */
  private async resetPassword(user: User, chosen: string | undefined): Promise<string | undefined> {
    if (chosen !== undefined) assertPasswordAllowed(chosen, user);
    const password = chosen ?? generateTemporaryPassword(user);
    user.passwordHash = await hashPassword(password);
    user.mustChangePassword = true;
    return chosen === undefined ? password : undefined;
  }

  async tokensOf(userId: number): Promise<ApiToken[]> {
    await this.get(userId);
    return this.tokens.listOf(userId);
  }

  async issueToken(userId: number, input: CreateTokenDto): Promise<IssuedToken> {
    const user = await this.get(userId);
    if (user.disabled)
      throw new ProblemException('conflict', `User ${userId} is disabled: enable them first.`);
    const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
    if (expiresAt && expiresAt <= this.clock.now()) {
      throw validationProblem([{ field: 'expires_at', message: 'expires_at must be in the future' }]);
    }
    return this.issuer.issue(userId, input.name, expiresAt);
  }

  async revokeToken(userId: number, tokenId: number): Promise<void> {
    await this.issuer.revoke(userId, tokenId);
  }

  /** A therapist account names its therapist, and no other account names one; the database checks the same. */
  private async assertTherapistFits(role: Role, therapistId: number | null): Promise<void> {
    if (role === 'therapist' && therapistId === null) {
      throw validationProblem([
        { field: 'therapist_id', message: 'therapist_id is required for a therapist' },
      ]);
    }
    if (role !== 'therapist' && therapistId !== null) {
      throw validationProblem([
        { field: 'therapist_id', message: 'therapist_id goes only with role therapist' },
      ]);
    }
    if (therapistId !== null && !(await this.therapists.exists(therapistId))) {
      throw validationProblem([
        { field: 'therapist_id', message: `therapist ${therapistId} does not exist` },
      ]);
    }
  }
}

/** The password rule as the API and the forms report it: a 400 naming the `password` field. */
function assertPasswordAllowed(password: string, owner: PasswordOwner): void {
  const problem = passwordProblem(password, owner);
  if (problem) throw validationProblem([{ field: 'password', message: problem }]);
}
