import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { validationProblem } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { resolveDateRange } from '../common/time/date-range.js';
import { AvailabilityService } from './availability.service.js';
import { AvailabilityQuery, AvailabilityResponse, MAX_AVAILABILITY_DAYS } from './dto/availability.dto.js';
import { Roles } from '../access/access.decorators.js';

@ApiTags('Therapists')
@Roles('receptionist', 'therapist')
@Controller('api/therapists/:id/availability')
export class AvailabilityApiController {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly clock: ClinicClock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Free slots of a therapist',
    description:
      'Every start (on a 15-minute grid, from now on) where a session of `duration_minutes` fits within the ' +
      'working hours and keeps the buffer to other sessions: what a booking would accept.',
  })
  @ApiParam({ name: 'id', type: Number, example: 1 })
  @ApiOkResponse({ type: AvailabilityResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidQuery('to', `to must be at most ${MAX_AVAILABILITY_DAYS} days after from`),
    COMMON_PROBLEMS.notFound('therapist'),
  )
  async slots(@IdParam() id: number, @Query() query: AvailabilityQuery): Promise<AvailabilityResponse> {
    const { from, to } = resolveDateRange(query.from, query.to, this.clock.timeZone);
    if (!from || !to) throw validationProblem([{ field: 'from', message: 'from and to are required' }]);
    if (to.getTime() - from.getTime() > MAX_AVAILABILITY_DAYS * 86_400_000) {
      throw validationProblem([
        { field: 'to', message: `to must be at most ${MAX_AVAILABILITY_DAYS} days after from` },
      ]);
    }
    const result = await this.availability.freeSlots(id, from, to, query.duration_minutes);
    return {
      therapist_id: result.schedule.therapist.id,
      time_zone: result.schedule.timeZone,
      duration_minutes: result.durationMinutes,
      buffer_minutes: result.schedule.therapist.bufferMinutes,
      slots: result.slots.map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
    };
  }
}
