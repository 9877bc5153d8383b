import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { PageMeta, PaginationQuery } from '../../common/pagination/page.js';
import { RequiresSomeField } from '../../common/validation/body-rules.js';
import { IsInstant, IsLocalDate, IsOmittable } from '../../common/validation/decorators.js';
import { OptionalTextField } from '../../common/validation/fields.js';
import { IdField } from '../../common/validation/id-field.js';
import { RefersTo } from '../../common/validation/refers-to.js';
import { ToInteger } from '../../common/validation/transforms.js';
import { TEXT_INPUT } from '../../common/validation/validate-input.js';
import { PatientRepository } from '../../patients/patient.repository.js';
import {
  DEFAULT_DURATION_MINUTES,
  MAX_DURATION_MINUTES,
  MIN_DURATION_MINUTES,
} from '../../sessions/session.entity.js';
import { parseMinute } from '../../scheduling/working-hours.js';
import { TherapistRepository } from '../../therapists/therapist.repository.js';
import { CLOSED_REASONS, MAX_WAITLIST_NOTES_LENGTH, type ClosedReason } from '../waitlist-entry.entity.js';

/** A form sends an empty choice as '' and one checkbox as a string: read them as "none" and as a list. */
const FormNull = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === '' ? null : value), { groups: [TEXT_INPUT] });
const FormIntegerList = (): PropertyDecorator =>
  Transform(
    ({ value }: { value: unknown }) =>
      (typeof value === 'string' ? [value] : value) instanceof Array
        ? ([] as unknown[])
            .concat(value)
            .map((item) => (typeof item === 'string' && /^\d{1,2}$/.test(item) ? Number(item) : item))
        : value,
    { groups: [TEXT_INPUT] },
  );

const IsTimeOfDay = (): PropertyDecorator =>
  ValidateBy({
    name: 'isTimeOfDay',
    validator: {
      validate: (value) => parseMinute(value) !== undefined,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a time of day written HH:MM (00:00–24:00)`,
    },
  });

const TherapistField = (): PropertyDecorator =>
  applyDecorators(
    IdField({ required: false, example: 1, description: 'The therapist wanted; null or left out for any.' }),
    ApiPropertyOptional({ type: Number, nullable: true, example: 1, minimum: 1 }),
    FormNull(),
    RefersTo(() => TherapistRepository, 'therapist'),
  );

const DateField = (required: boolean, example: string, description: string): PropertyDecorator =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({ example, format: 'date', description }),
    ...(required ? [] : [IsOmittable()]),
    IsLocalDate(),
  );

const WeekdaysField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: [Number],
      nullable: true,
      example: [2, 4],
      description: 'ISO weekdays that suit (1 = Monday … 7 = Sunday); null, empty or left out for any day.',
    }),
    FormNull(),
    FormIntegerList(),
    IsOptional(),
    IsArray(),
    ArrayMinSize(0),
    ArrayMaxSize(7),
    ArrayUnique(),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(7, { each: true }),
  );

const TimeField = (example: string, description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      example,
      nullable: true,
      type: String,
      pattern: '^([01]\\d|2[0-4]):[0-5]\\d$',
      description,
    }),
    FormNull(),
    IsOptional(),
    IsTimeOfDay(),
  );

export class CreateWaitlistEntryDto {
  @IdField({ required: true, example: 2 })
  @RefersTo(() => PatientRepository, 'patient')
  patient_id!: number;

  @TherapistField()
  therapist_id?: number | null;

  @DateField(true, '2027-03-01', 'The first day that would do (the clinic’s calendar).')
  earliest_date!: string;

  @DateField(true, '2027-03-31', 'The last day that would do; not before earliest_date.')
  latest_date!: string;

  @WeekdaysField()
  weekdays?: number[] | null;

  @TimeField('09:00', 'The session starts no earlier (local time); null for any time.')
  time_from?: string | null;

  @TimeField('13:00', 'The session ends no later (local time), after time_from; null for any time.')
  time_to?: string | null;

  @OptionalTextField({ maxLength: MAX_WAITLIST_NOTES_LENGTH, example: 'Mornings suit best.' })
  notes?: string | null;
}

@RequiresSomeField(
  'nothing to change: send at least one of therapist_id, earliest_date, latest_date, weekdays, time_from, time_to, notes',
)
export class UpdateWaitlistEntryDto {
  @TherapistField()
  therapist_id?: number | null;

  @DateField(false, '2027-03-01', 'The first day that would do.')
  earliest_date?: string;

  @DateField(false, '2027-04-15', 'The last day that would do; not before earliest_date.')
  latest_date?: string;

  @WeekdaysField()
  weekdays?: number[] | null;

  @TimeField('09:00', 'The session starts no earlier (local time).')
  time_from?: string | null;

  @TimeField('13:00', 'The session ends no later (local time).')
  time_to?: string | null;

  @OptionalTextField({ maxLength: MAX_WAITLIST_NOTES_LENGTH, example: 'Any weekday morning.' })
  notes?: string | null;
}

export class ListWaitlistQuery extends PaginationQuery {
  @IdField({ required: false, example: 1, description: 'Only entries naming this therapist.' })
  therapist_id?: number;

  @IdField({ required: false, example: 2, description: 'Only entries of this patient.' })
  patient_id?: number;
}

export class WaitlistMatchesQuery {
  @IdField({ required: true, example: 1, description: 'The therapist whose slot is free.' })
  therapist_id!: number;

  @ApiProperty({
    example: '2027-03-09T10:00:00+01:00',
    format: 'date-time',
    description: 'Start of the free slot.',
  })
  @IsInstant()
  start!: string;

  @ApiProperty({
    example: '2027-03-09T10:50:00+01:00',
    format: 'date-time',
    description: 'End of the slot, after start.',
  })
  @IsInstant()
  end!: string;
}

export class WaitlistEntryResponse {
  @ApiProperty({ example: 4 }) id!: number;
  @ApiProperty({ example: 2 }) patient_id!: number;
  @ApiProperty({ example: 'Sam Lee' }) patient_name!: string;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'null: any therapist.' })
  therapist_id!: number | null;
  @ApiProperty({ example: 'Dr. Ada Byrne', nullable: true, type: String }) therapist_name!: string | null;
  @ApiProperty({ example: '2027-03-01', format: 'date' }) earliest_date!: string;
  @ApiProperty({ example: '2027-03-31', format: 'date' }) latest_date!: string;
  @ApiProperty({ example: [2, 4], type: [Number], nullable: true }) weekdays!: number[] | null;
  @ApiProperty({ example: '09:00', nullable: true, type: String }) time_from!: string | null;
  @ApiProperty({ example: '13:00', nullable: true, type: String }) time_to!: string | null;
  @ApiProperty({ example: 'Mornings suit best.', nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ example: '2027-02-20T09:12:00.000Z', format: 'date-time', description: 'Waiting since.' })
  created_at!: string;
  @ApiProperty({
    example: '2027-03-02T08:00:00.000Z',
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'null while waiting.',
  })
  closed_at!: string | null;
  @ApiProperty({ example: 'booked', nullable: true, enum: CLOSED_REASONS })
  closed_reason!: ClosedReason | null;
  @ApiProperty({ example: 17, nullable: true, type: Number, description: 'The session booked from it.' })
  session_id!: number | null;
}

export class WaitlistListResponse {
  @ApiProperty({ type: [WaitlistEntryResponse], description: 'Open entries, longest waiting first.' })
  data!: WaitlistEntryResponse[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class WaitlistMatchesResponse {
  @ApiProperty({
    type: [WaitlistEntryResponse],
    description: 'Open entries the slot suits, longest waiting first.',
  })
  data!: WaitlistEntryResponse[];
}

/** Books the entry's patient into a slot and closes the entry, in one transaction. */
export class BookWaitlistEntryDto {
  @IdField({
    required: false,
    example: 1,
    description: 'Defaults to the entry’s therapist; required when it names none.',
  })
  @RefersTo(() => TherapistRepository, 'therapist')
  therapist_id?: number;

  @ApiProperty({
    example: '2027-03-09T10:00:00+01:00',
    format: 'date-time',
    description: 'Start of the session.',
  })
  @IsInstant()
  date!: string;

  @ApiPropertyOptional({
    minimum: MIN_DURATION_MINUTES,
    maximum: MAX_DURATION_MINUTES,
    default: DEFAULT_DURATION_MINUTES,
    example: 50,
  })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(MIN_DURATION_MINUTES)
  @Max(MAX_DURATION_MINUTES)
  duration_minutes?: number;
}
