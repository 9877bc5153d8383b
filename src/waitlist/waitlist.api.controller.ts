import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
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
import {
  ApiProblems,
  COMMON_PROBLEMS,
  type ProblemExample,
} from '../common/problems/api-problem-responses.decorator.js';
import { LOCATION_HEADER } from '../openapi/api-headers.js';
import {
  CreateWaitlistEntryDto,
  ListWaitlistQuery,
  UpdateWaitlistEntryDto,
  WaitlistEntryResponse,
  WaitlistListResponse,
  WaitlistMatchesQuery,
  WaitlistMatchesResponse,
} from './dto/waitlist.dto.js';
import { toWaitlistEntryResponse, toWaitlistListResponse } from './waitlist.mapper.js';
import { WaitlistService } from './waitlist.service.js';

export const ENTRY_CLOSED: ProblemExample = {
  type: 'conflict',
  description: 'The entry is closed: booked or removed',
  detail: 'Waitlist entry 4 is closed (booked).',
  extensions: { closed_reason: 'booked' },
};

const FOR_OTHERS: ProblemExample = {
  type: 'forbidden',
  description: 'A therapist adding or moving an entry to another therapist',
  detail: 'A therapist adds waitlist entries for themself only.',
  errors: [{ field: 'therapist_id', message: 'therapist_id must be your own (3)' }],
};

@ApiTags('Waitlist')
@Roles('receptionist', 'therapist')
@Controller('api/waitlist')
export class WaitlistApiController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Get()
  @ApiOperation({
    summary: 'List the waitlist',
    description: 'Open entries, longest waiting first. A therapist sees the entries naming them.',
  })
  @ApiOkResponse({ type: WaitlistListResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidQuery('page_size', 'page_size must not be greater than 100'))
  async list(@Query() query: ListWaitlistQuery): Promise<WaitlistListResponse> {
    return toWaitlistListResponse(await this.waitlist.list(query));
  }

  @Get('matches')
  @ApiOperation({
    summary: 'Waiting patients who could take a slot',
    description:
      'Open entries for any therapist or this one whose dates hold the slot’s day, whose weekdays (if any) hold ' +
      'its weekday and whose time window (if any) holds it whole, in the clinic’s time zone, leaving out patients ' +
      'with a session of their own at that time; longest waiting first (at most 50).',
  })
  @ApiOkResponse({ type: WaitlistMatchesResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidQuery('end', 'end must be after start'),
    COMMON_PROBLEMS.notFound('therapist'),
  )
  async matches(@Query() query: WaitlistMatchesQuery): Promise<WaitlistMatchesResponse> {
    const slot = { therapistId: query.therapist_id, start: new Date(query.start), end: new Date(query.end) };
    return { data: (await this.waitlist.matches(slot)).map(toWaitlistEntryResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one waitlist entry', description: 'Open or closed.' })
  @ApiParam({ name: 'id', type: Number, example: 4 })
  @ApiOkResponse({ type: WaitlistEntryResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('waitlist entry'))
  async get(@IdParam() id: number): Promise<WaitlistEntryResponse> {
    return toWaitlistEntryResponse(await this.waitlist.get(id));
  }

  @Post()
  @Created()
  @ApiOperation({
    summary: 'Put a patient on the waitlist',
    description: 'A therapist adds entries naming themself (the default for them).',
  })
  @ApiCreatedResponse({
    type: WaitlistEntryResponse,
    description: 'Created; `Location` names the new entry.',
    headers: LOCATION_HEADER,
  })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'patient_id', message: 'patient 999 does not exist' },
      { field: 'latest_date', message: 'latest_date must not be before earliest_date' },
    ]),
    COMMON_PROBLEMS.malformedJson,
    FOR_OTHERS,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async create(@Body() body: CreateWaitlistEntryDto): Promise<WaitlistEntryResponse> {
    return toWaitlistEntryResponse(await this.waitlist.add(body));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a waitlist entry',
    description: 'Only the fields sent change; open entries only.',
  })
  @ApiParam({ name: 'id', type: Number, example: 4 })
  @ApiOkResponse({ type: WaitlistEntryResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'time_to', message: 'time_to must be after time_from' }]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('waitlist entry'),
    FOR_OTHERS,
    ENTRY_CLOSED,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async update(@IdParam() id: number, @Body() body: UpdateWaitlistEntryDto): Promise<WaitlistEntryResponse> {
    return toWaitlistEntryResponse(await this.waitlist.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Take a patient off the waitlist',
    description: 'The entry is closed as `removed` and kept (GET still reads it).',
  })
  @ApiParam({ name: 'id', type: Number, example: 4 })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('waitlist entry'), ENTRY_CLOSED)
  async remove(@IdParam() id: number): Promise<void> {
    await this.waitlist.remove(id);
  }
}
