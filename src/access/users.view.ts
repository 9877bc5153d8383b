import type { ClinicClock } from '../common/time/clinic-time.js';
import type { FormState } from '../common/web/form-view.js';
import type { ApiToken } from './api-token.entity.js';
import { ROLES, type Role } from './roles.js';
import type { User } from './user.entity.js';

const USERS_NAV = { users: true };
const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  receptionist: 'Reception',
  therapist: 'Therapist',
};

export interface UserFormValues {
  email: string;
  name: string;
  role: string;
  therapist_id: string;
}

export interface Choice {
  value: string;
  label: string;
  selected: boolean;
}

export interface UserRow {
  id: number;
  url: string;
  name: string;
  email: string;
  role: string;
  therapist: string | null;
  disabled: boolean;
  lastSignIn: string | null;
}

export interface UsersPageView {
  title: string;
  nav: Record<string, boolean>;
  users: UserRow[];
}

export interface UserFormView extends FormState<UserFormValues> {
  title: string;
  nav: Record<string, boolean>;
  roles: Choice[];
  therapists: Choice[];
}

export interface UserPageView extends UserFormView {
  /** `mfaSince`: when two-factor sign-in was turned on; null while it is off. */
  user: UserRow & { mustChangePassword: boolean; mfaSince: string | null };
  tokens: {
    id: number;
    name: string;
    created: string;
    expires: string | null;
    lastUsed: string | null;
    revoked: string | null;
  }[];
  /** Shown once, right after it was made. */
  temporaryPassword?: string;
  /** The password the admin typed was set (it is not shown back). */
  passwordReset: boolean;
  /** Why the password the admin typed for a reset was refused, next to its field. */
  resetError?: string;
  newToken?: string;
  tokenErrors: Record<string, string>;
  tokenValues: { name: string; expires_at: string };
}

export type TherapistNames = { id: number; name: string }[];

export function choicesOf(
  values: UserFormValues,
  therapists: TherapistNames,
): Pick<UserFormView, 'roles' | 'therapists'> {
  return {
    roles: ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], selected: values.role === role })),
    therapists: therapists.map(({ id, name }) => ({
      value: String(id),
      label: name,
      selected: values.therapist_id === String(id),
    })),
  };
}

export function userRowOf(user: User, therapists: TherapistNames, clock: ClinicClock): UserRow {
  const therapistId = user.therapist?.id;
  return {
    id: user.id,
    url: `/users/${user.id}`,
    name: user.name,
    email: user.email,
    role: ROLE_LABELS[user.role],
    therapist: therapists.find(({ id }) => id === therapistId)?.name ?? null,
    disabled: user.disabled,
    lastSignIn: user.lastSignedInAt ? clock.dateTime(user.lastSignedInAt) : null,
  };
}

export const usersPage = (users: UserRow[]): UsersPageView => ({ title: 'Users', nav: USERS_NAV, users });

export function userFormView(
  title: string,
  state: FormState<UserFormValues>,
  therapists: TherapistNames,
): UserFormView {
  return { title, nav: USERS_NAV, ...state, ...choicesOf(state.values, therapists) };
}

export const valuesOf = (user: User): UserFormValues => ({
  email: user.email,
  name: user.name,
  role: user.role,
  therapist_id: user.therapist ? String(user.therapist.id) : '',
});

export function tokenRowsOf(tokens: ApiToken[], clock: ClinicClock): UserPageView['tokens'] {
  const when = (date: Date | null): string | null => (date ? clock.dateTime(date) : null);
  return tokens.map((token) => ({
    id: token.id,
    name: token.name,
    created: clock.dateTime(token.createdAt),
    expires: when(token.expiresAt),
    lastUsed: when(token.lastUsedAt),
    revoked: when(token.revokedAt),
  }));
}
