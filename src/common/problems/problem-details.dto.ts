import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({
    example: 'therapist_id',
    description: 'Body property or query parameter the message is about.',
  })
  field!: string;

  @ApiProperty({ example: 'therapist_id does not refer to an existing therapist' })
  message!: string;
}

/** OpenAPI description of the RFC 9457 document every error response carries. */
export class ProblemDetailsDto {
  @ApiProperty({
    example: '/problems/validation-error',
    description: 'URI reference identifying the problem type.',
  })
  type!: string;

  @ApiProperty({ example: 'Your request is not valid' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'therapist_id must be an integer number' })
  detail!: string;

  @ApiPropertyOptional({ example: '/api/sessions', description: 'The request that caused it.' })
  instance?: string;

  @ApiProperty({
    type: [FieldErrorDto],
    description: 'One entry per invalid field; empty when not field-specific.',
  })
  errors!: FieldErrorDto[];
}
