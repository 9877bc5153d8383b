import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import {
  ApiProblems,
  COMMON_PROBLEMS,
  type ProblemExample,
} from '../common/problems/api-problem-responses.decorator.js';
import {
  ReplaceWorkingHoursDto,
  WorkingHoursIntervalDto,
  WorkingHoursIntervalResponse,
  WorkingHoursIntervalUpdatedResponse,
  WorkingHoursResponse,
} from './dto/working-hours.dto.js';
import { toStrandedResponse } from './unavailability.mapper.js';
import type { WorkingHours } from './working-hours.entity.js';
import { formatMinute } from './working-hours.js';
import { WorkingHoursService, type TherapistSchedule } from './working-hours.service.js';
import { Roles } from '../access/access.decorators.js';

const OVERLAPPING: ProblemExample = {
  type: 'conflict',
  description: 'Two intervals overlap on the same day',
  detail: 'Working-hours intervals on the same day must not overlap.',
  errors: [{ field: 'start', message: 'overlaps another interval on the same day' }],
};

const toInterval = (interval: WorkingHours): WorkingHoursIntervalResponse => ({
  id: interval.id,
  weekday: interval.weekday,
  start: formatMinute(interval.startMinute),
  end: formatMinute(interval.endMinute),
});

const toSchedule = (schedule: TherapistSchedule): WorkingHoursResponse => ({
  therapist_id: schedule.therapist.id,
  time_zone: schedule.timeZone,
  data: schedule.intervals.map(toInterval),
});

@ApiTags('Therapists')
@Roles('receptionist', 'therapist')
@Controller('api/therapists/:id/working-hours')
@ApiParam({ name: 'id', type: Number, example: 1, description: 'The therapist.' })
export class WorkingHoursApiController {
  constructor(private readonly workingHours: WorkingHoursService) {}

  @Get()
  @ApiOperation({
    summary: 'Weekly working hours of a therapist',
    description:
      'Future sessions can only be booked within them; with none set, the therapist can be booked any time.',
  })
  @ApiOkResponse({ type: WorkingHoursResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('therapist'))
  async get(@IdParam() id: number): Promise<WorkingHoursResponse> {
    return toSchedule(await this.workingHours.get(id));
  }

  @Put()
  @ApiOperation({ summary: 'Replace the weekly working hours', description: 'An empty list removes them.' })
  @ApiOkResponse({ type: WorkingHoursResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'intervals.0.end', message: 'end must be after start' }]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('therapist'),
    OVERLAPPING,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async replace(@IdParam() id: number, @Body() body: ReplaceWorkingHoursDto): Promise<WorkingHoursResponse> {
    return toSchedule(await this.workingHours.replace(id, body.intervals));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add one working-hours interval' })
  @ApiCreatedResponse({ type: WorkingHoursIntervalResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'start', message: 'start must be a time of day written HH:MM (00:00–24:00)' },
    ]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('therapist'),
    OVERLAPPING,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async add(
    @IdParam() id: number,
    @Body() body: WorkingHoursIntervalDto,
  ): Promise<WorkingHoursIntervalResponse> {
    return toInterval(await this.workingHours.add(id, body));
  }

  @Patch(':intervalId')
  @ApiOperation({
    summary: 'Change one working-hours interval in place',
    description:
      'Answers with the Scheduled sessions the new hours leave out (`stranded_sessions`), to be moved.',
  })
  @ApiParam({ name: 'intervalId', type: Number, example: 4 })
  @ApiOkResponse({ type: WorkingHoursIntervalUpdatedResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidId,
    COMMON_PROBLEMS.invalidBody([{ field: 'end', message: 'end must be after start' }]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('working-hours interval'),
    OVERLAPPING,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async update(
    @IdParam() id: number,
    @IdParam('intervalId') intervalId: number,
    @Body() body: WorkingHoursIntervalDto,
  ): Promise<WorkingHoursIntervalUpdatedResponse> {
    const { interval, stranded } = await this.workingHours.update(id, intervalId, body);
    return Object.assign(toInterval(interval), { stranded_sessions: stranded.map(toStrandedResponse) });
  }

  @Delete(':intervalId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one working-hours interval' })
  @ApiParam({ name: 'intervalId', type: Number, example: 4 })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('working-hours interval'))
  async remove(@IdParam() id: number, @IdParam('intervalId') intervalId: number): Promise<void> {
    await this.workingHours.remove(id, intervalId);
  }
}
