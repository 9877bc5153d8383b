import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { SearchQuery, type PageRequest, type SortOrder } from '../common/pagination/page.js';
import { IsOmittable } from '../common/validation/decorators.js';

export const PERSON_SORTS = ['name', 'email', 'created_at'] as const;
export type PersonSort = (typeof PERSON_SORTS)[number];

/** List parameters shared by the therapist and patient directories; `q` matches name or e-mail. */
export class PersonListQuery extends SearchQuery {
  @ApiPropertyOptional({ enum: PERSON_SORTS, default: 'name' })
  @IsOmittable()
  @IsIn(PERSON_SORTS)
  sort: PersonSort = 'name';

  toCriteria(): PersonListCriteria {
    return { ...this.toPageRequest(), q: this.q, sort: this.sort, order: this.order };
  }
}

export interface PersonListCriteria extends PageRequest {
  /** Every word anywhere in the name or e-mail address, in any order, ignoring case and accents. */
  q?: string;
  sort: PersonSort;
  order: SortOrder;
}
