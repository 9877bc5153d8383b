import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { MAX_STATS_DAYS, StatsQuery, StatsResponse } from './dto/stats.dto.js';
import { STATS_FRESHNESS, StatsService } from './stats.service.js';

@ApiTags('Stats')
@Roles('receptionist', 'therapist')
@Controller('api/stats')
export class StatsApiController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({
    summary: 'Session figures per week or month',
    description:
      'Per therapist and overall: sessions by status, and utilisation (booked minutes of sessions not ' +
      'cancelled ÷ minutes of weekly working hours on the days of the range; time off and closures are not ' +
      `subtracted). A therapist gets only their own figures. ${STATS_FRESHNESS} Read from an aggregate kept by ` +
      'triggers, so a year of a million sessions answers in milliseconds.',
  })
  @ApiOkResponse({ type: StatsResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidQuery('to', `to must be at most ${MAX_STATS_DAYS} days after from`))
  report(@Query() query: StatsQuery): Promise<StatsResponse> {
    return this.stats.report(query);
  }
}
