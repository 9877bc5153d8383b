import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { PageMeta } from '../../common/pagination/page.js';
import { PersonListQuery } from '../../people/person-list.query.js';
import { IsLocalDate, IsNotInFuture } from '../../common/validation/decorators.js';
import { EmailField, NameField } from '../../common/validation/fields.js';
import { EmptyToNull, Trim } from '../../common/validation/transforms.js';

const PhoneField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example: '+44 20 7946 0958', nullable: true, type: String, maxLength: 40 }),
    EmptyToNull(),
    Trim(),
    IsOptional(),
    IsString(),
    // At most 40 characters in all (the column size), the optional + included.
    Matches(/^(?=.{3,40}$)\+?[0-9 ().-]+$/, {
      message: '$property must be a phone number: digits, spaces, ( ) . - and an optional leading +',
    }),
  );

const DateOfBirthField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example: '1987-04-12', format: 'date', nullable: true, type: String }),
    EmptyToNull(),
    IsOptional(),
    IsLocalDate(),
    IsNotInFuture(),
  );

export class CreatePatientDto {
  @NameField({ required: true, example: 'Jordan Lee' })
  name!: string;

  @EmailField({ required: false, nullable: true, example: 'jordan.lee@example.com' })
  email?: string | null;

  @PhoneField()
  phone?: string | null;

  @DateOfBirthField()
  date_of_birth?: string | null;

  @ApiPropertyOptional({
    description:
      'true: add the patient even though one with the same name and date of birth, or the same phone number, ' +
      'is already on file (otherwise 409 /problems/possible-duplicate lists them).',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  confirm_duplicate?: boolean;
}

export class UpdatePatientDto {
  @NameField({ required: false, example: 'Jordan Lee' })
  name?: string;

  @EmailField({ required: false, nullable: true, example: 'jordan.lee@example.com' })
  email?: string | null;

  @PhoneField()
  phone?: string | null;

  @DateOfBirthField()
  date_of_birth?: string | null;
}

export class ListPatientsQuery extends PersonListQuery {}

export class PatientResponse {
  @ApiProperty({ example: 2 }) id!: number;
  @ApiProperty({ example: 'Jordan Lee' }) name!: string;
  @ApiProperty({ example: 'jordan.lee@example.com', format: 'email', nullable: true, type: String })
  email!: string | null;
  @ApiProperty({ example: '+44 20 7946 0958', nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ example: '1987-04-12', format: 'date', nullable: true, type: String })
  date_of_birth!: string | null;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) updated_at!: string;
}

export class PatientListResponse {
  @ApiProperty({ type: [PatientResponse] }) data!: PatientResponse[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
