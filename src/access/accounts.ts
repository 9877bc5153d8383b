import type { EntityManager } from '@mikro-orm/postgresql';
import { StartupError } from '../common/startup-error.js';
import type { AccessConfig } from '../config/access-config.js';
import { Therapist } from '../therapists/therapist.entity.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword } from './passwords.js';
import type { Role } from './roles.js';
import { User } from './user.entity.js';

export interface NewAccount {
  email: string;
  name: string;
  role: Role;
  password: string;
  therapistId?: number | null;
  mustChangePassword?: boolean;
}

/** Creates an account; the database refuses a taken e-mail, a second account for a therapist, a bad role. */
export async function createAccount(em: EntityManager, account: NewAccount): Promise<User> {
  const user = em.create(User, {
    email: account.email.trim().toLowerCase(),
    name: account.name.trim(),
    role: account.role,
    therapist: account.therapistId ? em.getReference(Therapist, account.therapistId) : null,
    passwordHash: await hashPassword(account.password),
    mustChangePassword: account.mustChangePassword ?? false,
  });
  await em.flush();
  return user;
}

const FIRST_ADMIN_NAME = 'Administrator';

/**
 * The demo accounts of the embedded demo mode, listed at start-up and in the README. Their passwords are public
 * by design, so the password rule (which they would fail: they hold their role's name) is not asked of them.
 */
export const DEMO_ACCOUNTS = [
  { role: 'admin', email: 'admin@clinic.example', name: 'Ada Admin', password: 'demo-admin-password' },
  {
    role: 'receptionist',
    email: 'reception@clinic.example',
    name: 'Rita Reception',
    password: 'demo-reception-password',
  },
  { role: 'therapist', email: 'therapist@clinic.example', name: '', password: 'demo-therapist-password' },
] as const satisfies readonly { role: Role; email: string; name: string; password: string }[];

/**
 * First start: the admin named by ADMIN_EMAIL / ADMIN_PASSWORD when no admin exists yet; with demo data, one
 * account per role (the therapist's linked to the first demo therapist). Returns what it created, for the log.
 */
export async function ensureAccounts(
  em: EntityManager,
  access: AccessConfig,
  options: { demo: boolean },
): Promise<string[]> {
  const created: string[] = [];
  const admins = await em.count(User, { role: 'admin' });
  if (admins === 0 && access.firstAdmin) {
    const firstAdmin = { ...access.firstAdmin, name: FIRST_ADMIN_NAME };
    // Checked only when it is used: a deployment whose admin exists may keep an old value without being stopped.
    const problem = passwordProblem(firstAdmin.password, firstAdmin);
    if (problem) throw new StartupError(`ADMIN_PASSWORD is refused: ${problem}`);
    await createAccount(em, { ...firstAdmin, role: 'admin' });
    created.push(`admin ${access.firstAdmin.email} (password from ADMIN_PASSWORD)`);
  }
  if (options.demo && (await em.count(User, {})) === 0) {
    const [therapist] = await em.find(Therapist, {}, { orderBy: { id: 'asc' }, limit: 1 });
    for (const demo of DEMO_ACCOUNTS) {
      if (demo.role === 'therapist' && !therapist) continue;
      await createAccount(em, {
        ...demo,
        name: demo.role === 'therapist' && therapist ? therapist.name : demo.name,
        therapistId: demo.role === 'therapist' ? therapist?.id : null,
      });
      created.push(`${demo.role} ${demo.email} / ${demo.password}`);
    }
  }
  return created;
}
