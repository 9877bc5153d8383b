import { EntityRepository } from '@mikro-orm/postgresql';
import type { Role } from './roles.js';
import type { User } from './user.entity.js';

export class UserRepository extends EntityRepository<User> {
  /** With the password hash, which is otherwise never loaded. */
  findForSignIn(email: string): Promise<User | null> {
    return this.findOne({ email: email.trim().toLowerCase() }, { populate: ['passwordHash'] });
  }

  findWithPassword(id: number): Promise<User | null> {
    return this.findOne({ id }, { populate: ['passwordHash'] });
  }

  async existsWithRole(role: Role): Promise<boolean> {
    return (await this.count({ role, disabled: false })) > 0;
  }

  /** Until the transaction ends, no other change of users' roles or status runs. */
  async lockAdministration(): Promise<void> {
    await this.getEntityManager().execute(
      `select pg_advisory_xact_lock(hashtext('staff_user administration'))`,
    );
  }

  async hasOtherEnabledAdmin(userId: number): Promise<boolean> {
    return (await this.count({ role: 'admin', disabled: false, id: { $ne: userId } })) > 0;
  }

  list(): Promise<User[]> {
    return this.findAll({ orderBy: { name: 'asc', id: 'asc' } });
  }

  /** Every signed-in browser of this user signs out at once: their rows in the session store go. */
  async endSessionsOf(userId: number, exceptSessionId = ''): Promise<void> {
    await this.getEntityManager().execute(
      `delete from http_session where (sess ->> 'userId')::int = ? and sid <> ?`,
      [userId, exceptSessionId],
    );
  }

  /**
   * With the (encrypted) TOTP secret, which is otherwise never loaded; always as the database has it now (the
   * MFA columns change by conditional updates, which the identity map does not see).
   */
  findWithMfaSecret(id: number): Promise<User | null> {
    return this.findOne({ id }, { populate: ['mfaSecret'], refresh: true });
  }

  /**
   * Takes the time step of an accepted code, if no code of that step or a later one was taken before: one
   * conditional update, so the same code sent twice (even at once) is accepted once.
   */
  async claimMfaStep(userId: number, step: number): Promise<boolean> {
    const claimed = await this.nativeUpdate(
      { id: userId, $or: [{ mfaLastUsedStep: null }, { mfaLastUsedStep: { $lt: step } }] },
      { mfaLastUsedStep: step },
    );
    return claimed === 1;
  }

  /** Confirms the enrolment of exactly this pending secret (a restarted enrolment's older one does not count). */
  async enableMfa(userId: number, encryptedSecret: string, step: number, now: Date): Promise<boolean> {
    const enabled = await this.nativeUpdate(
      { id: userId, mfaSecret: encryptedSecret, mfaEnabledAt: null },
      { mfaEnabledAt: now, mfaLastUsedStep: step },
    );
    return enabled === 1;
  }

  async setPendingMfaSecret(userId: number, encryptedSecret: string): Promise<void> {
    await this.nativeUpdate(
      { id: userId, mfaEnabledAt: null },
      { mfaSecret: encryptedSecret, mfaLastUsedStep: null },
    );
  }

  async clearMfa(userId: number): Promise<void> {
    await this.nativeUpdate({ id: userId }, { mfaSecret: null, mfaEnabledAt: null, mfaLastUsedStep: null });
  }
}
