import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles.js';

export const PUBLIC_ROUTE = 'access:public';
export const ALLOWED_ROLES = 'access:roles';

/** Open to anyone: sign-in, the API documents, health probes. Everything else needs a signed-in user or token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The roles a route admits besides admin, who may do everything. A route (or its controller) without this is
 * refused to everyone: a new route stays closed until someone decides who may use it.
 */
export const Roles = (...roles: Exclude<Role, 'admin'>[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWED_ROLES, ['admin', ...roles]);

export const WITH_TEMPORARY_PASSWORD = 'access:temporary-password';

/** Open to a user who still has a temporary password: choosing their own, and signing out. */
export const AllowsTemporaryPassword = (): MethodDecorator & ClassDecorator =>
  SetMetadata(WITH_TEMPORARY_PASSWORD, true);

/** Admins only. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, ['admin']);
