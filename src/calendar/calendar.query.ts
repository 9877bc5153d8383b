import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsLocalDate } from '../common/validation/decorators.js';
import { IdField } from '../common/validation/id-field.js';

export class CalendarQuery {
  @ApiPropertyOptional({
    example: '2025-11-17',
    description: 'Any day of the week to show; this week by default.',
  })
  @IsOptional()
  @IsLocalDate()
  week?: string;

  @IdField({ required: false, example: 1, description: 'Only this therapist; everyone by default.' })
  therapist_id?: number;
}
