import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { IdParam } from '../common/http/id-param.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { Page, redirectTo, type PageView, type Redirect } from '../common/web/page.js';
import { ClosuresService } from './closures.service.js';
import {
  CLOSURES_PATH,
  closureAdded,
  closureFormValues,
  closureInput,
  closureUrl,
  EMPTY_CLOSURE,
  toClosurePageView,
  toClosuresPageView,
  type ClosurePageView,
  type ClosuresPageView,
  type ClosureFormValues,
} from './closures.view.js';
import { CreateClosureDto } from './dto/unavailability.dto.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { strandedFlash } from './stranded.view.js';

/**
 * The clinic's closures, managed by the desk (as the API's routes are). A closure that leaves Scheduled sessions
 * on its days leads to its own page, which lists them to move.
 */
@ApiExcludeController()
@Roles('receptionist')
@Controller('closures')
export class ClosuresPagesController {
  constructor(
    private readonly closures: ClosuresService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @Page('scheduling/closures')
  list(): Promise<ClosuresPageView> {
    return this.pageView(EMPTY_CLOSURE);
  }

  @Post()
  @Page('scheduling/closures')
  add(@Body() body: Record<string, unknown>): Promise<PageView<ClosuresPageView> | Redirect> {
    const values = closureFormValues(body);
    return handleFormPost({
      dto: CreateClosureDto,
      input: closureInput(values),
      run: async (dto) => {
        const { closure, stranded } = await this.closures.add(dto);
        const message = closureAdded(closure) + strandedFlash(stranded.length);
        return redirectTo(stranded.length > 0 ? closureUrl(closure) : CLOSURES_PATH, message);
      },
      showProblem: (problem) => this.pageView(values, problem),
    });
  }

  @Get(':id')
  @Page('scheduling/closure')
  async show(@IdParam() id: number): Promise<ClosurePageView> {
    return toClosurePageView(await this.closures.get(id), this.clock);
  }

  @Post(':id/delete')
  @Page('scheduling/closure')
  async remove(@IdParam() id: number): Promise<Redirect> {
    await this.closures.remove(id);
    return redirectTo(CLOSURES_PATH, 'Closure removed');
  }

  private async pageView(values: ClosureFormValues, problem?: ProblemException): Promise<ClosuresPageView> {
    return toClosuresPageView(await this.closures.list(), values, this.clock, problem);
  }
}
