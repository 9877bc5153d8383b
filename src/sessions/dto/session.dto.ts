import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageMeta, SearchQuery } from '../../common/pagination/page.js';
import { IsInstant, IsInstantOrLocalDate, IsOmittable } from '../../common/validation/decorators.js';
import { OptionalTextField } from '../../common/validation/fields.js';
import { IdField } from '../../common/validation/id-field.js';
import { ToInteger } from '../../common/validation/transforms.js';
import {
  DEFAULT_DURATION_MINUTES,
  MAX_DURATION_MINUTES,
  MAX_NOTES_LENGTH,
  MIN_DURATION_MINUTES,
} from '../session.entity.js';
import { SESSION_STATUSES, SessionStatus } from '../session-status.js';

const IsSessionStatus = (): PropertyDecorator =>
  IsEnum(SessionStatus, { message: `status must be one of: ${SESSION_STATUSES.join(', ')}` });

const DurationField = ({
  example,
  default: fallback,
}: {
  example: number;
  default?: number;
}): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      minimum: MIN_DURATION_MINUTES,
      maximum: MAX_DURATION_MINUTES,
      default: fallback,
      example,
    }),
    IsOmittable(),
    ToInteger(),
    IsInt(),
    Min(MIN_DURATION_MINUTES),
    Max(MAX_DURATION_MINUTES),
  );

const DATE_DESCRIPTION = 'Start of the session: ISO 8601 date-time with `Z` or an offset.';

export class CreateSessionDto {
  @IdField({ required: true, example: 1 })
  therapist_id!: number;

  @IdField({ required: true, example: 2 })
  patient_id!: number;

  @ApiProperty({ example: '2025-11-15T10:00:00Z', format: 'date-time', description: DATE_DESCRIPTION })
  @IsInstant()
  date!: string;

  @DurationField({ default: DEFAULT_DURATION_MINUTES, example: 50 })
  duration_minutes?: number;

  @OptionalTextField({ maxLength: MAX_NOTES_LENGTH, example: 'Intake session.' })
  notes?: string | null;
}

export class UpdateSessionDto {
  @ApiPropertyOptional({ enum: SESSION_STATUSES, example: SessionStatus.Completed })
  @IsOmittable()
  @IsSessionStatus()
  status?: SessionStatus;

  @ApiPropertyOptional({
    example: '2025-11-22T10:00:00Z',
    format: 'date-time',
    description: DATE_DESCRIPTION,
  })
  @IsOmittable()
  @IsInstant()
  date?: string;

  @DurationField({ example: 60 })
  duration_minutes?: number;

  @OptionalTextField({ maxLength: MAX_NOTES_LENGTH, example: 'Discussed sleep routine.' })
  notes?: string | null;
}

export const SESSION_SORTS = ['date', 'status', 'therapist', 'patient', 'created_at'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

const RANGE_DESCRIPTION =
  'A date-time with offset, or a date (YYYY-MM-DD) read in the clinic time zone. `from` is inclusive; `to` is ' +
  'exclusive for a date-time and includes the whole day for a date.';

export class ListSessionsQuery extends SearchQuery {
  @ApiPropertyOptional({
    enum: SESSION_STATUSES,
    example: SessionStatus.Scheduled,
    description: 'Only sessions in this status.',
  })
  @IsOptional()
  @IsSessionStatus()
  status?: SessionStatus;

  @IdField({ required: false, example: 1, description: 'Only sessions with this therapist.' })
  therapist_id?: number;

  @IdField({ required: false, example: 2, description: 'Only sessions with this patient.' })
  patient_id?: number;

  @ApiPropertyOptional({ example: '2025-11-01', description: RANGE_DESCRIPTION })
  @IsOptional()
  @IsInstantOrLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2025-11-30', description: RANGE_DESCRIPTION })
  @IsOptional()
  @IsInstantOrLocalDate()
  to?: string;

  @ApiPropertyOptional({ enum: SESSION_SORTS, default: 'date' })
  @IsOmittable()
  @IsIn(SESSION_SORTS)
  sort: SessionSort = 'date';
}

class PersonSummary {
  @ApiProperty({ example: 1 }) id!: number;
  @ApiProperty({ example: 'Dr. Maya Chen' }) name!: string;
}

export class SessionResponse {
  @ApiProperty({ example: 17 }) id!: number;
  @ApiProperty({ example: 1 }) therapist_id!: number;
  @ApiProperty({ example: 2 }) patient_id!: number;
  @ApiProperty({ type: PersonSummary }) therapist!: PersonSummary;
  @ApiProperty({ type: PersonSummary }) patient!: PersonSummary;
  @ApiProperty({ example: '2025-11-15T10:00:00.000Z', format: 'date-time' }) date!: string;
  @ApiProperty({ example: 50 }) duration_minutes!: number;
  @ApiProperty({ example: '2025-11-15T10:50:00.000Z', format: 'date-time' }) ends_at!: string;
  @ApiProperty({ enum: SESSION_STATUSES, example: SessionStatus.Scheduled })
  status!: SessionStatus;
  @ApiProperty({ example: null, nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ example: 1, description: 'Increases by one on every change.' }) version!: number;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) updated_at!: string;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] }) data!: SessionResponse[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
