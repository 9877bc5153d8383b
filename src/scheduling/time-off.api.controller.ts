import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { Created } from '../common/http/created.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { CreateTimeOffDto, TimeOffCreatedResponse, TimeOffListResponse } from './dto/unavailability.dto.js';
import { TimeOffService } from './time-off.service.js';
import { toTimeOffCreated, toTimeOffResponse } from './unavailability.mapper.js';

@ApiTags('Therapists')
@Roles('receptionist', 'therapist')
@Controller('api/therapists/:id/time-off')
@ApiParam({ name: 'id', type: Number, example: 1, description: 'The therapist.' })
export class TimeOffApiController {
  constructor(private readonly timeOff: TimeOffService) {}

  @Get()
  @ApiOperation({
    summary: 'Time off of a therapist',
    description: 'Holidays, sick days: no session can be booked into them. A therapist reads only their own.',
  })
  @ApiOkResponse({ type: TimeOffListResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('therapist'))
  async list(@IdParam() id: number): Promise<TimeOffListResponse> {
    return { data: (await this.timeOff.list(id)).map(toTimeOffResponse) };
  }

  @Post()
  @Created()
  @ApiOperation({
    summary: 'Add time off',
    description: 'Answers with the Scheduled sessions it leaves out (`stranded_sessions`), to be moved.',
  })
  @ApiCreatedResponse({ type: TimeOffCreatedResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'ends_at', message: 'ends_at must be after starts_at' }]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('therapist'),
    {
      type: 'conflict',
      description: 'It overlaps time off the therapist already has',
      detail: 'The therapist already has time off overlapping this one.',
      errors: [{ field: 'starts_at', message: 'overlaps other time off of the therapist' }],
    },
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async add(@IdParam() id: number, @Body() body: CreateTimeOffDto): Promise<TimeOffCreatedResponse> {
    const { timeOff, stranded } = await this.timeOff.add(id, body);
    return toTimeOffCreated(timeOff, stranded);
  }

  @Delete(':timeOffId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove time off' })
  @ApiParam({ name: 'timeOffId', type: Number, example: 3 })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('time off'))
  async remove(@IdParam() id: number, @IdParam('timeOffId') timeOffId: number): Promise<void> {
    await this.timeOff.remove(id, timeOffId);
  }
}
