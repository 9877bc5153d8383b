/** The staff roles; an admin may do everything, so routes list only the other roles they admit. */
export const ROLES = ['admin', 'receptionist', 'therapist'] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request: a signed-in user, or an API token acting with its user's role. */
export interface Actor {
  userId: number;
  /** For the pages' header; never logged. */
  name: string;
  role: Role;
  /** The therapist a therapist user is; null for the other roles. */
  therapistId: number | null;
  /** Set when the request came with an API token rather than a sign-in cookie. */
  tokenId: number | null;
  /** Signed in with a temporary password: nothing but choosing their own until they do (tokens have none). */
  mustChangePassword?: boolean;
  /** Signed in, but their role requires two-factor sign-in and they have not set it up: nothing else until then. */
  mustEnrolMfa?: boolean;
}

/** A therapist sees and changes only their own records; the other roles see the whole practice. */
export const ownTherapistOf = (actor: Actor): number | null =>
  actor.role === 'therapist' ? actor.therapistId : null;

/**
 * What each role may do beyond reading what it can see: the one table the services enforce (403) and the pages
 * consult to offer only what is allowed. A therapist books, changes the status and notes of, and cancels their
 * own sessions only; moving a session, the directory and accounts are the front desk's and the admin's.
 */
const CAPABILITIES = {
  editPeople: ['admin', 'receptionist'],
  reschedule: ['admin', 'receptionist'],
  bookForAnyTherapist: ['admin', 'receptionist'],
  manageClosures: ['admin', 'receptionist'],
  manageUsers: ['admin'],
  readAudit: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Capability = keyof typeof CAPABILITIES;

export const may = (role: Role, capability: Capability): boolean =>
  (CAPABILITIES[capability] as readonly Role[]).includes(role);

/** Every capability of a role, for the pages (`may.reschedule` …). */
export const capabilitiesOf = (role: Role): Record<Capability, boolean> =>
  Object.fromEntries(
    Object.keys(CAPABILITIES).map((capability) => [capability, may(role, capability as Capability)]),
  ) as Record<Capability, boolean>;
