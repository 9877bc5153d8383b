import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { HasLength, IsInstant, IsOmittable } from '../../common/validation/decorators.js';
import { EmailField, NameField } from '../../common/validation/fields.js';
import { IdField } from '../../common/validation/id-field.js';
import { ToInteger, Trim } from '../../common/validation/transforms.js';
import { MAX_ID } from '../../common/http/id-param.js';
import { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from '../passwords.js';
import { ROLES, type Role } from '../roles.js';

const ROLE_MESSAGE = `role must be one of: ${ROLES.join(', ')}`;

export class CreateUserDto {
  @EmailField({ required: true, example: 'rita@clinic.example' })
  email!: string;

  @NameField({ required: true, example: 'Rita Reception' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'receptionist' })
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role!: Role;

  @IdField({
    required: false,
    example: 3,
    description: 'Required for (and only for) a therapist: who they are.',
  })
  therapist_id?: number;

  @ApiProperty({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    description:
      'Their first password; they are asked to choose their own at their first sign-in. Held to the password ' +
      'rule: hard to guess (zxcvbn score 3+), without their e-mail address or name.',
  })
  @IsString()
  @HasLength(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)
  password!: string;
}

export class UpdateUserDto {
  @NameField({ required: false, example: 'Rita Reception' })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, example: 'admin' })
  @IsOmittable()
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({
    example: 3,
    nullable: true,
    type: Number,
    description: 'A therapist user’s therapist.',
  })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_ID, { message: '$property is not a valid id' })
  therapist_id?: number | null;

  @ApiPropertyOptional({
    example: true,
    description: 'Disabling ends their sessions and revokes their tokens at once.',
  })
  @IsOmittable()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    example: true,
    description:
      'Sets a temporary password, returned once as `temporary_password`; it must be changed at sign-in.',
  })
  @IsOmittable()
  @Equals(true, { message: 'reset_password can only be true' })
  reset_password?: true;

  @ApiPropertyOptional({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    example: 'quiet lantern orbits the marsh',
    description:
      'With `reset_password: true`: the temporary password to set instead of a generated one (then not answered ' +
      'back). Held to the password rule: 12+ characters, hard to guess, without the user’s e-mail or name.',
  })
  @IsOmittable()
  @IsString()
  @HasLength(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)
  password?: string;
}

export class CreateTokenDto {
  @ApiProperty({ example: 'Billing integration', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @HasLength(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: '2027-06-30T00:00:00Z', format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsInstant()
  expires_at?: string | null;
}

export class UserResponse {
  @ApiProperty({ example: 2 }) id!: number;
  @ApiProperty({ example: 'rita@clinic.example', format: 'email' }) email!: string;
  @ApiProperty({ example: 'Rita Reception' }) name!: string;
  @ApiProperty({ enum: ROLES, example: 'receptionist' }) role!: Role;
  @ApiProperty({ example: null, nullable: true, type: Number }) therapist_id!: number | null;
  @ApiProperty({ example: false }) disabled!: boolean;
  @ApiProperty({ example: false }) must_change_password!: boolean;
  @ApiProperty({ example: false, description: 'Two-factor sign-in (TOTP) is on for this user.' })
  mfa_enabled!: boolean;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) last_signed_in_at!:
    string | null;
  @ApiProperty({ example: '2026-12-01T09:00:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '2026-12-01T09:00:00.000Z', format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({
    example: 'vX3k-9QpL-2mWd',
    description: 'Only in the answer to a password reset: shown this once, never stored in clear.',
  })
  temporary_password?: string;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] }) data!: UserResponse[];
}

export class TokenResponse {
  @ApiProperty({ example: 7 }) id!: number;
  @ApiProperty({ example: 'Billing integration' }) name!: string;
  @ApiProperty({ example: '2026-12-01T09:00:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) expires_at!:
    string | null;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) last_used_at!:
    string | null;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) revoked_at!:
    string | null;
}

export class TokenListResponse {
  @ApiProperty({ type: [TokenResponse] }) data!: TokenResponse[];
}

export class IssuedTokenResponse extends TokenResponse {
  @ApiProperty({
    example: 'tsm_3q2…',
    description: 'The token itself: shown this once, stored only as a hash.',
  })
  token!: string;
}
