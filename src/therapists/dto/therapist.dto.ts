import { ApiProperty } from '@nestjs/swagger';
import { PageMeta } from '../../common/pagination/page.js';
import { PersonListQuery } from '../../common/people/person-list.query.js';
import { EmailField, NameField, OptionalTextField } from '../../common/validation/fields.js';

const SPECIALTY_MAX_LENGTH = 200;

export class CreateTherapistDto {
  @NameField({ required: true, example: 'Dr. Maya Chen' })
  name!: string;

  @EmailField({ required: true, example: 'maya.chen@clinic.example' })
  email!: string;

  @OptionalTextField({ maxLength: SPECIALTY_MAX_LENGTH, example: 'Cognitive behavioural therapy' })
  specialty?: string | null;
}

export class UpdateTherapistDto {
  @NameField({ required: false, example: 'Dr. Maya Chen' })
  name?: string;

  @EmailField({ required: false, example: 'maya.chen@clinic.example' })
  email?: string;

  @OptionalTextField({ maxLength: SPECIALTY_MAX_LENGTH, example: 'Family therapy' })
  specialty?: string | null;
}

export class ListTherapistsQuery extends PersonListQuery {}

export class TherapistResponse {
  @ApiProperty({ example: 1 }) id!: number;
  @ApiProperty({ example: 'Dr. Maya Chen' }) name!: string;
  @ApiProperty({ example: 'maya.chen@clinic.example', format: 'email' }) email!: string;
  @ApiProperty({ example: 'Cognitive behavioural therapy', nullable: true, type: String }) specialty!:
    string | null;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '2025-11-01T09:30:00.000Z', format: 'date-time' }) updated_at!: string;
}

export class TherapistListResponse {
  @ApiProperty({ type: [TherapistResponse] }) data!: TherapistResponse[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
