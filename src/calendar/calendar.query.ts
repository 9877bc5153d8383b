import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsLocalDate, IsOmittable } from '../common/validation/decorators.js';
import { ToInteger } from '../common/validation/transforms.js';
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

  @ApiPropertyOptional({
    minimum: 1,
    example: 2,
    description: "Which group of therapists everyone's week shows.",
  })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(1)
  page?: number;
}
