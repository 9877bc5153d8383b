import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsLocalDate } from '../../common/validation/decorators.js';
import { IdField } from '../../common/validation/id-field.js';
import type { StatsGrouping } from '../stats.repository.js';

export const STATS_GROUPINGS: readonly StatsGrouping[] = ['week', 'month'];
/** The longest range one request may ask for: three years of days (a leap year included). */
export const MAX_STATS_DAYS = 3 * 366;

const DAY = 'A date (YYYY-MM-DD) in the clinic time zone, included. ';

/** The filters of `/api/stats` and `/dashboard`. */
export class StatsQuery {
  @ApiPropertyOptional({
    example: '2026-01-01',
    description: `${DAY}Defaults to the first day of the month eleven months before this one.`,
  })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description: `${DAY}Defaults to the last day of this month. At most ${MAX_STATS_DAYS} days after \`from\`.`,
  })
  @IsOptional()
  @IsLocalDate()
  to?: string;

  @ApiPropertyOptional({ enum: STATS_GROUPINGS, default: 'month', description: 'Weeks start on Monday.' })
  @IsOptional()
  @IsIn(STATS_GROUPINGS)
  group_by?: StatsGrouping;

  @IdField({
    required: false,
    example: 1,
    description: 'Only this therapist. A therapist always gets only their own figures.',
  })
  therapist_id?: number;
}

export class StatsFigures {
  @ApiProperty({ example: 96, description: 'All sessions, whatever their status.' }) sessions!: number;
  @ApiProperty({ example: 70 }) completed!: number;
  @ApiProperty({ example: 4 }) no_show!: number;
  @ApiProperty({ example: 6 }) cancelled!: number;
  @ApiProperty({ example: 2 }) late_cancelled!: number;
  @ApiProperty({ example: 4400, description: 'Minutes of the sessions that were not cancelled.' })
  booked_minutes!: number;
  @ApiProperty({ example: 9600, description: 'Minutes of weekly working hours falling on the days.' })
  working_minutes!: number;
  @ApiProperty({
    example: 0.458,
    nullable: true,
    type: Number,
    description: 'booked_minutes ÷ working_minutes (rounded to 0.001); null without working hours.',
  })
  utilisation!: number | null;
}

export class StatsPeriod extends StatsFigures {
  @ApiProperty({ example: '2026-01-01', description: 'The first day of the week or month.' })
  period!: string;
}

export class StatsSeries {
  @ApiProperty({ type: [StatsPeriod], description: 'Every period of the range, in order.' })
  periods!: StatsPeriod[];
  @ApiProperty({ type: StatsFigures, description: 'The whole range.' })
  totals!: StatsFigures;
}

export class TherapistStats extends StatsSeries {
  @ApiProperty({ example: 1 }) therapist_id!: number;
  @ApiProperty({ example: 'Dr. Ada Byron' }) name!: string;
}

export class StatsResponse {
  @ApiProperty({ example: '2026-01-01' }) from!: string;
  @ApiProperty({ example: '2026-12-31' }) to!: string;
  @ApiProperty({ enum: STATS_GROUPINGS, example: 'month' }) group_by!: StatsGrouping;
  @ApiProperty({ example: 'Europe/London', description: 'The zone the days are counted in.' })
  time_zone!: string;
  @ApiProperty({
    example: 'Exact and immediate: the counts change in the same transaction as the sessions.',
    description: 'How fresh the figures are.',
  })
  freshness!: string;
  @ApiProperty({ type: StatsSeries, description: 'All the therapists shown, together.' })
  overall!: StatsSeries;
  @ApiProperty({
    type: [TherapistStats],
    description: 'Each therapist with working hours or sessions, by name.',
  })
  therapists!: TherapistStats[];
}
