import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsOmittable, IsLocalDate } from '../common/validation/decorators.js';
import { ToInteger } from '../common/validation/transforms.js';

export class DaySheetQuery {
  @ApiPropertyOptional({ example: '2025-11-17', description: 'The day to show; today by default.' })
  @IsOptional()
  @IsLocalDate()
  date?: string;

  @ApiPropertyOptional({
    minimum: 1,
    example: 2,
    description: 'Which group of therapists, in a large clinic.',
  })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(1)
  page?: number;
}
