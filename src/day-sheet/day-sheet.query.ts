import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsLocalDate } from '../common/validation/decorators.js';

export class DaySheetQuery {
  @ApiPropertyOptional({ example: '2025-11-17', description: 'The day to show; today by default.' })
  @IsOptional()
  @IsLocalDate()
  date?: string;
}
