import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageMeta, SearchQuery } from '../../common/pagination/page.js';
import {
  HasLength,
  IsInstant,
  IsInstantOrLocalDate,
  IsOmittable,
} from '../../common/validation/decorators.js';
import { RequiresSomeField } from '../../common/validation/body-rules.js';
import { OptionalTextField } from '../../common/validation/fields.js';
import { IdField } from '../../common/validation/id-field.js';
import { RefersTo } from '../../common/validation/refers-to.js';
import { ToInteger, Trim } from '../../common/validation/transforms.js';
import { PatientRepository } from '../../patients/patient.repository.js';
import { TherapistRepository } from '../../therapists/therapist.repository.js';
import {
  MAX_OCCURRENCES,
  MIN_OCCURRENCES,
  SERIES_FREQUENCIES,
  SeriesFrequency,
} from '../session-series.entity.js';
import {
  DEFAULT_DURATION_MINUTES,
  MAX_DURATION_MINUTES,
  MAX_NOTES_LENGTH,
  MIN_DURATION_MINUTES,
} from '../session.entity.js';
import { SESSION_STATUSES, SessionStatus } from '../session-status.js';
import { EXACT_TOTAL_LIMIT } from '../session-list.sql.js';

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

const REASON_MAX_LENGTH = 500;

/** Why a session is cancelled: required to cancel, refused with any other change. */
const ReasonField = ({ required }: { required: boolean }): PropertyDecorator =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({
      example: 'Patient is unwell',
      maxLength: REASON_MAX_LENGTH,
      description:
        'Why the session is cancelled; required with status Cancelled or Late-Cancelled, and only then.',
    }),
    ...(required ? [] : [IsOmittable()]),
    Trim(),
    IsString(),
    HasLength(1, REASON_MAX_LENGTH),
  );

const DATE_DESCRIPTION = 'Start of the session: ISO 8601 date-time with `Z` or an offset.';

export class CreateSessionDto {
  @IdField({ required: true, example: 1 })
  @RefersTo(() => TherapistRepository, 'therapist')
  therapist_id!: number;

  @IdField({ required: true, example: 2 })
  @RefersTo(() => PatientRepository, 'patient')
  patient_id!: number;

  @ApiProperty({ example: '2025-11-15T10:00:00Z', format: 'date-time', description: DATE_DESCRIPTION })
  @IsInstant()
  date!: string;

  @DurationField({ default: DEFAULT_DURATION_MINUTES, example: 50 })
  duration_minutes?: number;

  @OptionalTextField({ maxLength: MAX_NOTES_LENGTH, example: 'Intake session.' })
  notes?: string | null;
}

@RequiresSomeField('nothing to change: send at least one of status, date, duration_minutes, notes, reason')
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

  @ReasonField({ required: false })
  reason?: string;
}

export const CANCEL_SCOPES = ['this', 'following'] as const;
export type CancelScope = (typeof CANCEL_SCOPES)[number];

export class CancelSessionDto {
  @ReasonField({ required: true })
  reason!: string;

  @ApiPropertyOptional({
    enum: CANCEL_SCOPES,
    default: 'this',
    description: '`following` also cancels the later scheduled sessions of the same series.',
  })
  @IsOmittable()
  @IsIn(CANCEL_SCOPES)
  scope: CancelScope = 'this';
}

export const SERIES_CONFLICT_CHOICES = ['refuse', 'skip'] as const;
export type SeriesConflictChoice = (typeof SERIES_CONFLICT_CHOICES)[number];

export class CreateSeriesDto extends CreateSessionDto {
  @ApiProperty({ enum: SERIES_FREQUENCIES, example: SeriesFrequency.Weekly })
  @IsIn(SERIES_FREQUENCIES)
  frequency!: SeriesFrequency;

  @ApiProperty({
    minimum: MIN_OCCURRENCES,
    maximum: MAX_OCCURRENCES,
    example: 10,
    description: 'Sessions in all.',
  })
  @ToInteger()
  @IsInt()
  @Min(MIN_OCCURRENCES)
  @Max(MAX_OCCURRENCES)
  occurrences!: number;

  @ApiPropertyOptional({
    enum: SERIES_CONFLICT_CHOICES,
    default: 'refuse',
    description:
      '`refuse`: book every occurrence or none. `skip`: book those that can be and list the others in `skipped`.',
  })
  @IsOmittable()
  @IsIn(SERIES_CONFLICT_CHOICES)
  on_conflict?: SeriesConflictChoice;
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

  @IdField({ required: false, example: 3, description: 'Only the sessions of this recurring series.' })
  series_id?: number;

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

  @ApiPropertyOptional({
    maxLength: 500,
    description:
      'A `meta.next_cursor` or `meta.prev_cursor` of an earlier answer with the same filters and sort: the page ' +
      'after or before it, read by the sort key (as fast deep in the list as at its start). `page` is then ignored.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
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
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Why it was cancelled.' })
  status_reason!: string | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'The recurring series it belongs to.',
  })
  series_id!: number | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the patient checked in (arrived); null until then.',
  })
  checked_in_at!: string | null;
  @ApiProperty({ example: 1, description: 'Increases by one on every change.' }) version!: number;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) updated_at!: string;
}

export class SessionListMeta extends PageMeta {
  @ApiProperty({
    example: false,
    description: `true when more than ${EXACT_TOTAL_LIMIT} sessions match: \`total\` is then PostgreSQL's estimate (from its planner statistics, no count), typically within a few per cent.`,
  })
  total_is_estimate!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'WyJuIiwiMjAyNS0xMS0xNVQxMDowMDowMC4wMDBaIiwxN10',
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  next_cursor!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as `cursor` for the previous page; null on the first page.',
  })
  prev_cursor!: string | null;
}

class SessionListLinks {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '/api/sessions?cursor=WyJuIi…',
    description: 'The next page, with the same filters.',
  })
  next!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The previous page, with the same filters.',
  })
  prev!: string | null;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] }) data!: SessionResponse[];
  @ApiProperty({ type: SessionListMeta }) meta!: SessionListMeta;
  @ApiProperty({ type: SessionListLinks }) links!: SessionListLinks;
}

class SeriesSummary {
  @ApiProperty({ example: 3 }) id!: number;
  @ApiProperty({ enum: SERIES_FREQUENCIES, example: SeriesFrequency.Weekly }) frequency!: SeriesFrequency;
  @ApiProperty({ example: 10 }) occurrences!: number;
}

export class SkippedOccurrence {
  @ApiProperty({ example: 6, description: 'Its place in the series, from 0.' }) index!: number;
  @ApiProperty({ example: '2027-12-25T10:00:00.000Z', format: 'date-time' }) date!: string;
  @ApiProperty({ example: '2027-12-25T10:50:00.000Z', format: 'date-time' }) ends_at!: string;
  @ApiProperty({ example: 'The clinic is closed: Christmas Day' }) reason!: string;
  @ApiPropertyOptional({ example: 40 }) conflicting_session_id?: number;
}

export class SeriesResponse {
  @ApiProperty({ type: SeriesSummary }) series!: SeriesSummary;
  @ApiProperty({ type: [SessionResponse], description: 'The booked sessions, in order.' })
  data!: SessionResponse[];
  @ApiProperty({
    type: [SkippedOccurrence],
    description: 'With `on_conflict: skip`, the occurrences not booked and why; otherwise empty.',
  })
  skipped!: SkippedOccurrence[];
}

export class CancelledSessionsResponse {
  @ApiProperty({ type: [SessionResponse], description: 'Every session cancelled by the request.' })
  data!: SessionResponse[];
}

export class SessionEventResponse {
  @ApiProperty({ example: '12' }) id!: string;
  @ApiProperty({ example: '2025-11-15T10:55:00.000Z', format: 'date-time' }) occurred_at!: string;
  @ApiProperty({
    enum: ['created', 'status_changed', 'rescheduled', 'notes_changed', 'checked_in', 'check_in_undone'],
    example: 'status_changed',
  })
  type!: string;
  @ApiProperty({ type: Object, nullable: true, example: { status: 'Scheduled' } })
  before!: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true, example: { status: 'Completed' } })
  after!: Record<string, unknown> | null;
  @ApiProperty({ example: null, nullable: true, type: String }) reason!: string | null;
  @ApiProperty({
    example: 3,
    nullable: true,
    type: Number,
    description: 'The user who made the change (an API token acts as its user); null for imported history.',
  })
  actor_id!: number | null;
  @ApiProperty({ example: 'Rita Reception', nullable: true, type: String, description: "That user's name." })
  actor!: string | null;
}

export class SessionHistoryResponse {
  @ApiProperty({ type: [SessionEventResponse], description: 'Oldest first.' }) data!: SessionEventResponse[];
}
