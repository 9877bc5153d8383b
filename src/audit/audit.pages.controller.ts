import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../access/access.decorators.js';
import { UsersService } from '../access/users.service.js';
import { sendCsv } from '../common/http/csv.js';
import { ProblemException, validationProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { Page, PageView } from '../common/web/page.js';
import { exportRows } from './audit.api.controller.js';
import { AUDIT_CSV_COLUMNS } from './audit.mapper.js';
import { AuditTrailService, type AuditPage } from './audit-trail.service.js';
import { toAuditPageView, type AuditPageView } from './audit.view.js';
import { ListAuditEventsQuery } from './dto/audit-event.dto.js';

const NO_EVENTS: AuditPage = { events: [], nextCursor: null };

/** `/admin/audit`: the trail with its filters, older pages by cursor, and the filtered view as CSV. */
@ApiExcludeController()
@AdminOnly()
@Controller('admin/audit')
export class AuditPagesController {
  constructor(
    private readonly trail: AuditTrailService,
    private readonly users: UsersService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page('audit/index', 'audit/_results')
  async list(@Query() raw: Record<string, unknown>): Promise<PageView<AuditPageView>> {
    const parsed = await validateInput(ListAuditEventsQuery, withoutEmptyValues(raw));
    const query = parsed.ok ? parsed.value : new ListAuditEventsQuery();
    let page = NO_EVENTS;
    let errors = parsed.ok ? [] : parsed.errors;
    if (parsed.ok) {
      try {
        page = await this.trail.list(query);
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        errors = error.errors;
      }
    }
    const users = (await this.users.list()).map(({ id, name }) => ({ id, name }));
    const view = toAuditPageView(query, page, users, this.clock, errors);
    return new PageView(view, { status: errors.length > 0 ? 400 : 200 });
  }

  @Get('export.csv')
  async export(@Query() raw: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const parsed = await validateInput(ListAuditEventsQuery, withoutEmptyValues(raw));
    if (!parsed.ok) throw validationProblem(parsed.errors);
    await sendCsv(response, 'audit-events.csv', AUDIT_CSV_COLUMNS, exportRows(this.trail, parsed.value));
  }
}
