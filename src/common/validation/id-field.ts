import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ID } from '../http/id-param.js';
import { ToInteger } from './transforms.js';

/** A reference to another record by its integer id. */
export const IdField = ({
  required,
  example,
  description,
}: {
  required: boolean;
  example: number;
  description?: string;
}): PropertyDecorator =>
  applyDecorators(
    required
      ? ApiProperty({ example, description, minimum: 1 })
      : ApiPropertyOptional({ example, description, minimum: 1 }),
    ...(required ? [] : [IsOptional()]),
    ToInteger(),
    IsInt(),
    Min(1),
    Max(MAX_ID, { message: '$property is not a valid id' }),
  );
