import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminOnly } from '../access/access.decorators.js';
import { sendCsv, wantsCsv } from '../common/http/csv.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { AuditTrailService } from './audit-trail.service.js';
import {
  AUDIT_CSV_COLUMNS,
  auditQueryString,
  toAuditCsvRecord,
  toAuditEventResponse,
} from './audit.mapper.js';
import { AuditEventListResponse, ListAuditEventsQuery } from './dto/audit-event.dto.js';

/** The audit trail, for admins: who did what to which record, and who read whose. */
@ApiTags('Audit')
@AdminOnly()
@Controller('api/audit-events')
export class AuditApiController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @ApiOperation({
    summary: 'List audit events',
    description:
      'Newest first, filtered by user, patient, action, outcome and date range, a page at a time: pass the ' +
      '`next_cursor` of a page as `cursor` for the next one (no total: the trail is meant to grow to millions). ' +
      'With `Accept: text/csv`, every matching event as a CSV download, streamed.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AuditEventListResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidQuery('action', 'action must be one of the documented audit actions'))
  async list(
    @Query() query: ListAuditEventsQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuditEventListResponse | undefined> {
    if (wantsCsv(request)) {
      await sendCsv(response, 'audit-events.csv', AUDIT_CSV_COLUMNS, exportRows(this.trail, query));
      return undefined;
    }
    const page = await this.trail.list(query);
    return {
      data: page.events.map(toAuditEventResponse),
      next_cursor: page.nextCursor,
      next: page.nextCursor === null ? null : `/api/audit-events${auditQueryString(query, page.nextCursor)}`,
    };
  }
}

export async function* exportRows(
  trail: AuditTrailService,
  query: ListAuditEventsQuery,
): AsyncGenerator<string[]> {
  for await (const row of trail.export(query)) yield toAuditCsvRecord(row);
}
