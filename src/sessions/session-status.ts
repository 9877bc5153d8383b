/** The lifecycle states of a therapy session, as they appear in the API and the database. */
export enum SessionStatus {
  Scheduled = 'Scheduled',
  Completed = 'Completed',
  Cancelled = 'Cancelled',
  LateCancelled = 'Late-Cancelled',
  NoShow = 'No-Show',
}

export const SESSION_STATUSES = Object.values(SessionStatus);

/** Statuses whose session no longer takes place: its time is free again (the exclusion constraints skip them). */
export const CANCELLED_STATUSES: readonly SessionStatus[] = [
  SessionStatus.Cancelled,
  SessionStatus.LateCancelled,
];
