/**
 * Every action the audit trail records, and what it means. Changes of records (`*.create`, `*.update`, …) are
 * written by PostgreSQL's triggers (see the audit-trail migration); the others by the app.
 */
export const AUDIT_ACTION_LABELS = {
  'auth.sign_in': 'Sign-in (success, or failure with its reason)',
  'auth.sign_out': 'Sign-out',
  'auth.session_expired': 'Session expired',
  'auth.session_ended': 'Another session signed out by its user',
  'auth.mfa_enrolled': 'Two-factor sign-in set up',
  'auth.mfa_reset': 'Two-factor sign-in reset',
  'auth.recovery_code_used': 'Recovery code used',
  'access.denied': 'Request refused for the role',
  'patient.read': 'Patient record viewed',
  'patient.list': 'Patient list or search viewed',
  'patient.create': 'Patient added',
  'patient.update': 'Patient details changed',
  'patient.delete': 'Patient deleted',
  'session.read': 'Session viewed',
  'session.list': 'Session list or calendar viewed',
  'session.export': 'Session list exported (CSV)',
  'session.create': 'Session booked',
  'session.update': 'Session changed',
  'session.cancel': 'Session cancelled',
  'session.status_change': 'Session status changed',
  'session.delete': 'Session deleted',
  'therapist.create': 'Therapist added',
  'therapist.update': 'Therapist details changed',
  'therapist.delete': 'Therapist deleted',
  'working_hours.create': 'Working hours added',
  'working_hours.update': 'Working hours changed',
  'working_hours.delete': 'Working hours removed',
  'time_off.create': 'Therapist time off added',
  'time_off.update': 'Therapist time off changed',
  'time_off.delete': 'Therapist time off removed',
  'closure.create': 'Clinic closure added',
  'closure.update': 'Clinic closure changed',
  'closure.delete': 'Clinic closure removed',
  'waitlist.create': 'Patient put on the waitlist',
  'waitlist.update': 'Waitlist entry changed, booked or removed',
  'waitlist.delete': 'Waitlist entry deleted',
  'user.create': 'User account created',
  'user.update': 'User account changed',
  'user.delete': 'User account deleted',
  'token.create': 'API token created',
  'token.update': 'API token changed',
  'token.revoke': 'API token revoked',
  'token.delete': 'API token deleted',
  'audit.export': 'Audit trail exported',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Why a sign-in was refused, as the trail records it (the person signing in is told less). */
export type SignInFailure =
  'unknown_account' | 'wrong_password' | 'disabled' | 'rate_limited' | 'mfa_failed' | 'sso_refused';
