import type { ApiToken } from './api-token.entity.js';
import type { IssuedToken } from './api-tokens.service.js';
import type { IssuedTokenResponse, TokenResponse, UserResponse } from './dto/user.dto.js';
import type { ChangedUser } from './users.service.js';
import type { User } from './user.entity.js';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    therapist_id: user.therapist?.id ?? null,
    disabled: user.disabled,
    must_change_password: user.mustChangePassword,
    mfa_enabled: user.mfaEnabledAt !== null,
    last_signed_in_at: iso(user.lastSignedInAt),
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

export function toChangedUserResponse({ user, temporaryPassword }: ChangedUser): UserResponse {
  const response = toUserResponse(user);
  if (temporaryPassword !== undefined) response.temporary_password = temporaryPassword;
  return response;
}

export function toTokenResponse(token: ApiToken): TokenResponse {
  return {
    id: token.id,
    name: token.name,
    created_at: token.createdAt.toISOString(),
    expires_at: iso(token.expiresAt),
    last_used_at: iso(token.lastUsedAt),
    revoked_at: iso(token.revokedAt),
  };
}

export const toIssuedTokenResponse = ({ token, secret }: IssuedToken): IssuedTokenResponse =>
  Object.assign(toTokenResponse(token), { token: secret });
