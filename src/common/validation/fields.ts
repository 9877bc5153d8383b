import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString } from 'class-validator';
import { HasLength, IsOmittable } from './decorators.js';
import { EmptyToNull, Trim, TrimLowerCase } from './transforms.js';

export const NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 254;

interface FieldOptions {
  /** Required on create; omittable (but never null) on update. */
  required: boolean;
  example?: string;
  description?: string;
}

/** A person's display name: trimmed, 1–200 characters. */
export const NameField = ({
  required,
  example = 'Alex Morgan',
  description,
}: FieldOptions): PropertyDecorator =>
  applyDecorators(
    required
      ? ApiProperty({ example, description, minLength: 1, maxLength: NAME_MAX_LENGTH })
      : ApiPropertyOptional({ example, description, minLength: 1, maxLength: NAME_MAX_LENGTH }),
    ...(required ? [] : [IsOmittable()]),
    Trim(),
    IsString(),
    HasLength(1, NAME_MAX_LENGTH),
  );

/** E-mail address, stored lower-cased. */
export const EmailField = ({
  required,
  nullable = false,
  example = 'alex.morgan@example.com',
}: FieldOptions & { nullable?: boolean }): PropertyDecorator =>
  applyDecorators(
    required
      ? ApiProperty({ example, type: String, format: 'email', maxLength: EMAIL_MAX_LENGTH })
      : ApiPropertyOptional({
          example,
          type: String,
          format: 'email',
          maxLength: EMAIL_MAX_LENGTH,
          nullable,
        }),
    ...(nullable ? [IsOptional(), EmptyToNull()] : required ? [] : [IsOmittable()]),
    TrimLowerCase(),
    IsString(),
    HasLength(0, EMAIL_MAX_LENGTH),
    IsEmail({}, { message: '$property must be a valid e-mail address' }),
  );

/** Free text that may be cleared with `null` (or an empty form field). */
export const OptionalTextField = ({
  maxLength,
  example,
  description,
}: {
  maxLength: number;
  example?: string;
  description?: string;
}): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example, description, maxLength, nullable: true, type: String }),
    EmptyToNull(),
    IsOptional(),
    IsString(),
    HasLength(0, maxLength),
  );
