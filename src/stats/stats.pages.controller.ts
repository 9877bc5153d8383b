import { Controller, Get, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import type { FieldError } from '../common/problems/problem-details.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { Page, PageView } from '../common/web/page.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import { StatsQuery, type StatsResponse } from './dto/stats.dto.js';
import { STATS_FRESHNESS, StatsService } from './stats.service.js';
import { toDashboardView, type DashboardView } from './stats.view.js';

/** The stats dashboard: the figures of `/api/stats` as charts (server-drawn SVG) with their tables. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('dashboard')
export class StatsPagesController {
  constructor(
    private readonly stats: StatsService,
    private readonly therapists: TherapistsService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page('stats/dashboard', 'stats/_figures')
  async dashboard(@Query() raw: Record<string, unknown>): Promise<PageView<DashboardView>> {
    const parsed = await validateInput(StatsQuery, withoutEmptyValues(raw));
    const query = parsed.ok ? parsed.value : Object.assign(new StatsQuery(), withoutEmptyValues(raw));
    let errors: FieldError[] = parsed.ok ? [] : parsed.errors;
    let report: StatsResponse | undefined;
    if (parsed.ok) {
      try {
        report = await this.stats.report(query);
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        errors = error.errors;
      }
    }
    const view = toDashboardView({
      query,
      report,
      errors,
      therapists: this.stats.ownFiguresOnly ? [] : await this.therapists.names(),
      choosesTherapist: !this.stats.ownFiguresOnly,
      freshness: STATS_FRESHNESS,
      timeZone: this.clock.timeZone,
    });
    return new PageView(view, { status: errors.length > 0 ? 400 : 200 });
  }
}
