/** The lifecycle states of a therapy session, as they appear in the API and the database. */
export enum SessionStatus {
  Scheduled = 'Scheduled',
  Completed = 'Completed',
}

export const SESSION_STATUSES = Object.values(SessionStatus);
