import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsInstantOrLocalDate, IsOmittable } from '../../common/validation/decorators.js';
import { IdField } from '../../common/validation/id-field.js';
import { ToInteger } from '../../common/validation/transforms.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditOutcome } from '../audit-actions.js';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
const MAX_AUDIT_PAGE_SIZE = 200;
const RANGE = 'A date-time, or a date in the clinic’s time zone (`to` then includes that whole day).';

/** The filters of `/api/audit-events` and `/admin/audit`; newest first, a page at a time by cursor. */
export class ListAuditEventsQuery {
  @IdField({ required: false, example: 1, description: 'Only what this user (or one of their tokens) did.' })
  user_id?: number;

  @IdField({ required: false, example: 2, description: 'Only events concerning this patient.' })
  patient_id?: number;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, example: 'patient.read' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: 'action must be one of the documented audit actions' })
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES, example: 'failure' })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ example: '2026-12-01', description: RANGE })
  @IsOptional()
  @IsInstantOrLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: RANGE })
  @IsOptional()
  @IsInstantOrLocalDate()
  to?: string;

  @ApiPropertyOptional({
    description:
      'Where the previous page ended: the `next_cursor` it returned (opaque). Omit for the newest.',
    example: '1042',
  })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'cursor must be a cursor returned by a previous page' })
  @Min(1)
  cursor?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: DEFAULT_AUDIT_PAGE_SIZE })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE_SIZE)
  page_size: number = DEFAULT_AUDIT_PAGE_SIZE;
}

class AuditActor {
  @ApiProperty({ example: 1, nullable: true, type: Number }) user_id!: number | null;
  @ApiProperty({ example: 'Ada Admin', nullable: true, type: String }) name!: string | null;
  @ApiProperty({ example: null, nullable: true, type: Number, description: 'Set when an API token acted.' })
  token_id!: number | null;
}

export class AuditEventResponse {
  @ApiProperty({ example: 1042 }) id!: number;
  @ApiProperty({ example: '2026-12-03T09:14:02.311Z', format: 'date-time' }) occurred_at!: string;
  @ApiProperty({
    type: AuditActor,
    nullable: true,
    description: 'Null for a change made outside the app, or a failed sign-in to no account.',
  })
  actor!: AuditActor | null;
  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'patient.read' }) action!: string;
  @ApiProperty({ example: 'patient', nullable: true, type: String }) record_type!: string | null;
  @ApiProperty({ example: 2, nullable: true, type: Number }) record_id!: number | null;
  @ApiProperty({ example: 2, nullable: true, type: Number }) patient_id!: number | null;
  @ApiProperty({ enum: AUDIT_OUTCOMES, example: 'success' }) outcome!: AuditOutcome;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { fields: ['phone'] },
    description: 'What else is known: changed field names (never values), a refusal’s reason, list filters.',
  })
  detail!: Record<string, unknown>;
  @ApiProperty({ example: '203.0.113.7', nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ example: 'Mozilla/5.0 …', nullable: true, type: String }) user_agent!: string | null;
  @ApiProperty({ example: '0b6f…', nullable: true, type: String }) request_id!: string | null;
}

export class AuditEventListResponse {
  @ApiProperty({ type: [AuditEventResponse] }) data!: AuditEventResponse[];
  @ApiProperty({
    example: '1017',
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
  })
  next_cursor!: string | null;
  @ApiProperty({
    example: '/api/audit-events?patient_id=2&cursor=1017',
    nullable: true,
    type: String,
    description: 'The next page’s URL with the same filters; null on the last page.',
  })
  next!: string | null;
}
