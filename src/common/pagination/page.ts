import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../validation/decorators.js';
import { ToInteger, Trim } from '../validation/transforms.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> extends PageRequest {
  items: T[];
  total: number;
}

export const offsetOf = ({ page, pageSize }: PageRequest): number => (page - 1) * pageSize;

/** `page` and `page_size` query parameters, shared by every list endpoint and page. */
export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, example: 1, description: 'Page number, starting at 1.' })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, example: 25 })
  @IsOmittable()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'asc', description: 'Sort direction.' })
  @IsOmittable()
  @IsIn(SORT_ORDERS)
  order: SortOrder = 'asc';

  toPageRequest(): PageRequest {
    return { page: this.page, pageSize: this.page_size };
  }
}

/** Pagination plus `q`, a case-insensitive search whose meaning each list documents. */
export class SearchQuery extends PaginationQuery {
  @ApiPropertyOptional({
    description: 'Case-insensitive search text; each endpoint says which fields it matches.',
    maxLength: 200,
    example: 'lee',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class PageMeta {
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 25 }) page_size!: number;
  @ApiProperty({ example: 123, description: 'Number of items matching the filters, over all pages.' })
  total!: number;
}

export function pageMeta(page: Page<unknown>): PageMeta {
  return { page: page.page, page_size: page.pageSize, total: page.total };
}
