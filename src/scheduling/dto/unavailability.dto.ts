import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { HasLength, IsInstant, IsLocalDate } from '../../common/validation/decorators.js';
import { Trim } from '../../common/validation/transforms.js';
import { MAX_LABEL_LENGTH } from '../time-off.entity.js';

/** Time off of one therapist: [starts_at, ends_at). */
export class CreateTimeOffDto {
  @ApiProperty({ example: '2027-08-02T00:00:00+02:00', format: 'date-time' })
  @IsInstant()
  starts_at!: string;

  @ApiProperty({ example: '2027-08-16T00:00:00+02:00', format: 'date-time', description: 'After starts_at.' })
  @IsInstant()
  ends_at!: string;

  @ApiProperty({ example: 'Summer holiday', minLength: 1, maxLength: MAX_LABEL_LENGTH })
  @Trim()
  @IsString()
  @HasLength(1, MAX_LABEL_LENGTH)
  reason!: string;
}

/** Days the clinic is closed, both inclusive, in the clinic's time zone. */
export class CreateClosureDto {
  @ApiProperty({ example: '2027-12-25', format: 'date' })
  @IsLocalDate()
  starts_on!: string;

  @ApiProperty({
    example: '2027-12-26',
    format: 'date',
    description: 'The last closed day; not before starts_on.',
  })
  @IsLocalDate()
  ends_on!: string;

  @ApiProperty({ example: 'Christmas', minLength: 1, maxLength: MAX_LABEL_LENGTH })
  @Trim()
  @IsString()
  @HasLength(1, MAX_LABEL_LENGTH)
  name!: string;
}

/** A Scheduled session that the new time off or closure (or the working hours) leaves out. */
export class StrandedSessionResponse {
  @ApiProperty({ example: 42 }) id!: number;
  @ApiProperty({ example: '2027-12-25T09:00:00.000Z', format: 'date-time' }) starts_at!: string;
  @ApiProperty({ example: '2027-12-25T09:50:00.000Z', format: 'date-time' }) ends_at!: string;
  @ApiProperty({ example: 1 }) therapist_id!: number;
  @ApiProperty({ example: 'Dr. Ada Byrne' }) therapist_name!: string;
  @ApiProperty({ example: 7 }) patient_id!: number;
  @ApiProperty({ example: 'Sam Lee' }) patient_name!: string;
  @ApiProperty({ example: 'the clinic is closed (Christmas)' }) reason!: string;
  @ApiProperty({ example: '/sessions/42', description: 'The session’s page, where it is rescheduled.' })
  url!: string;
}

export class TimeOffResponse {
  @ApiProperty({ example: 3 }) id!: number;
  @ApiProperty({ example: 1 }) therapist_id!: number;
  @ApiProperty({ example: '2027-08-01T22:00:00.000Z', format: 'date-time' }) starts_at!: string;
  @ApiProperty({ example: '2027-08-15T22:00:00.000Z', format: 'date-time' }) ends_at!: string;
  @ApiProperty({ example: 'Summer holiday' }) reason!: string;
}

export class TimeOffCreatedResponse extends TimeOffResponse {
  @ApiProperty({
    type: [StrandedSessionResponse],
    description: 'Scheduled sessions left out, soonest first.',
  })
  stranded_sessions!: StrandedSessionResponse[];
}

export class TimeOffListResponse {
  @ApiProperty({ type: [TimeOffResponse], description: 'Time off that has not ended yet, soonest first.' })
  data!: TimeOffResponse[];
}

export class ClosureResponse {
  @ApiProperty({ example: 2 }) id!: number;
  @ApiProperty({ example: '2027-12-25', format: 'date' }) starts_on!: string;
  @ApiProperty({ example: '2027-12-26', format: 'date' }) ends_on!: string;
  @ApiProperty({ example: 'Christmas' }) name!: string;
}

export class ClosureCreatedResponse extends ClosureResponse {
  @ApiProperty({
    type: [StrandedSessionResponse],
    description: 'Scheduled sessions left out, soonest first.',
  })
  stranded_sessions!: StrandedSessionResponse[];
}

export class ClosureListResponse {
  @ApiProperty({
    type: [ClosureResponse],
    description: 'Closures whose last day is today or later, soonest first.',
  })
  data!: ClosureResponse[];
}
