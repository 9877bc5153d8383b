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
}
