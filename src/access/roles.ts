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
}

/** A therapist sees and changes only their own records; the other roles see the whole practice. */
export const ownTherapistOf = (actor: Actor): number | null =>
  actor.role === 'therapist' ? actor.therapistId : null;
