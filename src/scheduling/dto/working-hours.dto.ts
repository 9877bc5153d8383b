import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { ToInteger } from '../../common/validation/transforms.js';
import { parseMinute } from '../working-hours.js';
import { StrandedSessionResponse } from './unavailability.dto.js';

const IsClockTime = (): PropertyDecorator =>
  ValidateBy({
    name: 'isClockTime',
    validator: {
      validate: (value) => parseMinute(value) !== undefined,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a time of day written HH:MM (00:00–24:00)`,
    },
  });

const TimeField = (example: string, description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example, pattern: '^([01]\\d|2[0-4]):[0-5]\\d$', description }),
    IsClockTime(),
  );

/** One interval of weekly working hours, in the therapist's time zone. */
export class WorkingHoursIntervalDto {
  @ApiProperty({ minimum: 1, maximum: 7, example: 1, description: 'ISO weekday: 1 = Monday … 7 = Sunday.' })
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @TimeField('09:00', 'Start, local time.')
  start!: string;

  @TimeField('17:00', 'End, local time, after the start (24:00 is midnight at the end of the day).')
  end!: string;
}

export class ReplaceWorkingHoursDto {
  @ApiProperty({
    type: [WorkingHoursIntervalDto],
    description:
      'The whole weekly schedule; an empty list removes it (the therapist can then be booked any time).',
  })
  @ValidateNested({ each: true })
  @ArrayMaxSize(70)
  @IsArray()
  @Type(() => WorkingHoursIntervalDto)
  intervals!: WorkingHoursIntervalDto[];
}

export class WorkingHoursIntervalResponse {
  @ApiProperty({ example: 4 }) id!: number;
  @ApiProperty({ example: 1 }) weekday!: number;
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '17:00' }) end!: string;
}

export class WorkingHoursIntervalUpdatedResponse extends WorkingHoursIntervalResponse {
  @ApiProperty({
    type: [StrandedSessionResponse],
    description: 'Scheduled sessions the changed hours leave out, soonest first, to be moved.',
  })
  stranded_sessions!: StrandedSessionResponse[];
}

export class WorkingHoursResponse {
  @ApiProperty({ example: 1 }) therapist_id!: number;
  @ApiProperty({ example: 'Europe/London', description: 'The zone the times are in.' }) time_zone!: string;
  @ApiProperty({ type: [WorkingHoursIntervalResponse], description: 'Monday first, then by start time.' })
  data!: WorkingHoursIntervalResponse[];
}
