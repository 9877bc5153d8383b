import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageMeta } from '../../common/pagination/page.js';
import { IsOmittable } from '../../common/validation/decorators.js';
import { IsTimeZone, ToTimeZoneId } from '../../common/validation/is-time-zone.decorator.js';
import { EmptyToNull, ToInteger } from '../../common/validation/transforms.js';
import { MAX_BUFFER_MINUTES } from '../therapist.entity.js';
import { PersonListQuery } from '../../people/person-list.query.js';
import { EmailField, NameField, OptionalTextField } from '../../common/validation/fields.js';

const SPECIALTY_MAX_LENGTH = 200;

const TimeZoneField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      example: 'Europe/London',
      nullable: true,
      type: String,
      description: 'IANA time zone of the working hours; the clinic’s (CLINIC_TIMEZONE) when null.',
    }),
    EmptyToNull(),
    ToTimeZoneId(),
    IsOptional(),
    IsTimeZone(),
  );

const BufferField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      minimum: 0,
      maximum: MAX_BUFFER_MINUTES,
      default: 10,
      example: 10,
      description: 'Minutes kept free between two sessions.',
    }),
    IsOmittable(),
    ToInteger(),
    IsInt(),
    Min(0),
    Max(MAX_BUFFER_MINUTES),
  );

export class CreateTherapistDto {
  @NameField({ required: true, example: 'Dr. Maya Chen' })
  name!: string;

  @EmailField({ required: true, example: 'maya.chen@clinic.example' })
  email!: string;

  @OptionalTextField({ maxLength: SPECIALTY_MAX_LENGTH, example: 'Cognitive behavioural therapy' })
  specialty?: string | null;

  @TimeZoneField()
  time_zone?: string | null;

  @BufferField()
  buffer_minutes?: number;
}

export class UpdateTherapistDto {
  @NameField({ required: false, example: 'Dr. Maya Chen' })
  name?: string;

  @EmailField({ required: false, example: 'maya.chen@clinic.example' })
  email?: string;

  @OptionalTextField({ maxLength: SPECIALTY_MAX_LENGTH, example: 'Family therapy' })
  specialty?: string | null;

  @TimeZoneField()
  time_zone?: string | null;

  @BufferField()
  buffer_minutes?: number;
}

export class ListTherapistsQuery extends PersonListQuery {}

export class TherapistResponse {
  @ApiProperty({ example: 1 }) id!: number;
  @ApiProperty({ example: 'Dr. Maya Chen' }) name!: string;
  @ApiProperty({ example: 'maya.chen@clinic.example', format: 'email' }) email!: string;
  @ApiProperty({ example: 'Cognitive behavioural therapy', nullable: true, type: String }) specialty!:
    string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Null: the clinic’s time zone.' })
  time_zone!: string | null;
  @ApiProperty({ example: 10 }) buffer_minutes!: number;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) updated_at!: string;
}

export class TherapistListResponse {
  @ApiProperty({ type: [TherapistResponse] }) data!: TherapistResponse[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
