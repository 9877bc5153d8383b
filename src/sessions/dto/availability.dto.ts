import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsInstantOrLocalDate, IsOmittable } from '../../common/validation/decorators.js';
import { ToInteger } from '../../common/validation/transforms.js';
import { DEFAULT_DURATION_MINUTES, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '../session.entity.js';

export const MAX_AVAILABILITY_DAYS = 31;

const BOUND =
  'A date-time with offset, or a date (YYYY-MM-DD) in the clinic time zone; `to` includes a whole day given as ' +
  `a date. At most ${MAX_AVAILABILITY_DAYS} days apart.`;

export class AvailabilityQuery {
  @ApiProperty({ example: '2025-11-17', description: BOUND })
  @IsInstantOrLocalDate()
  from!: string;

  @ApiProperty({ example: '2025-11-21', description: BOUND })
  @IsInstantOrLocalDate()
  to!: string;

  @ApiPropertyOptional({
    minimum: MIN_DURATION_MINUTES,
    maximum: MAX_DURATION_MINUTES,
    default: DEFAULT_DURATION_MINUTES,
  })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(MIN_DURATION_MINUTES)
  @Max(MAX_DURATION_MINUTES)
  duration_minutes: number = DEFAULT_DURATION_MINUTES;
}

class SlotResponse {
  @ApiProperty({ example: '2025-11-17T09:00:00.000Z', format: 'date-time' }) start!: string;
  @ApiProperty({ example: '2025-11-17T09:50:00.000Z', format: 'date-time' }) end!: string;
}

export class AvailabilityResponse {
  @ApiProperty({ example: 1 }) therapist_id!: number;
  @ApiProperty({ example: 'Europe/London', description: 'The zone of the working hours.' })
  time_zone!: string;
  @ApiProperty({ example: 50 }) duration_minutes!: number;
  @ApiProperty({ example: 10 }) buffer_minutes!: number;
  @ApiProperty({ type: [SlotResponse], description: 'Bookable starts on a 15-minute grid, from now on.' })
  slots!: SlotResponse[];
}
