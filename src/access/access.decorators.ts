import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiProblems } from '../common/problems/api-problem-responses.decorator.js';
import { ROLES, type Role } from './roles.js';

export const PUBLIC_ROUTE = 'access:public';
export const ALLOWED_ROLES = 'access:roles';

/** Open to anyone: sign-in, the API documents, health probes. Everything else needs a signed-in user or token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The roles a route admits besides admin, who may do everything. A route (or its controller) without this is
 * refused to everyone: a new route stays closed until someone decides who may use it.
 */
export const Roles = (...roles: Exclude<Role, 'admin'>[]): MethodDecorator & ClassDecorator =>
  admitting(['admin', ...roles]);

export const WITH_TEMPORARY_PASSWORD = 'access:temporary-password';

/** Open to a user who still has a temporary password: choosing their own, and signing out. */
export const AllowsTemporaryPassword = (): MethodDecorator & ClassDecorator =>
  SetMetadata(WITH_TEMPORARY_PASSWORD, true);

export const WITH_MFA_ENROLMENT_PENDING = 'access:mfa-enrolment-pending';

/** Open to a user whose role requires two-factor sign-in and who has not set it up yet: setting it up, signing out. */
export const AllowsMfaEnrolment = (): MethodDecorator & ClassDecorator =>
  SetMetadata(WITH_MFA_ENROLMENT_PENDING, true);

/** Admins only. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => admitting(['admin']);

/** The roles, and for the API's document the 403 that the roles left out get (the guard is its only source). */
function admitting(allowed: Role[]): MethodDecorator & ClassDecorator {
  const refused = ROLES.filter((role) => !allowed.includes(role));
  const [example] = refused;
  if (example === undefined) return SetMetadata(ALLOWED_ROLES, allowed);
  return applyDecorators(
    SetMetadata(ALLOWED_ROLES, allowed),
    ApiProblems({
      type: 'forbidden',
      description: `The caller's role may not do this: only ${allowed.join(', ')} may`,
      detail: `Your role (${example}) may not do this.`,
    }),
  );
}
