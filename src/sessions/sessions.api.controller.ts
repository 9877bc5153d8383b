import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../common/http/created.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import {
  CreateSessionDto,
  ListSessionsQuery,
  SessionListResponse,
  SessionResponse,
  UpdateSessionDto,
} from './dto/session.dto.js';
import { toSessionListResponse, toSessionResponse } from './session.mapper.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('Sessions')
@Controller('api/sessions')
export class SessionsApiController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({
    summary: 'List sessions',
    description:
      'Filter by status, therapist, patient and start-time range; `q` matches the therapist or patient name, ' +
      'case-insensitively. Sorted by `sort` then start time then id, so pages are stable.',
  })
  @ApiOkResponse({ type: SessionListResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidQuery('status', 'status must be one of: Scheduled, Completed'),
    COMMON_PROBLEMS.invalidQuery('page_size', 'page_size must not be greater than 100'),
  )
  async list(@Query() query: ListSessionsQuery): Promise<SessionListResponse> {
    return toSessionListResponse(await this.sessions.list(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one session' })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('session'))
  async get(@IdParam() id: number): Promise<SessionResponse> {
    return toSessionResponse(await this.sessions.get(id));
  }

  @Post()
  @Created()
  @ApiOperation({
    summary: 'Book a session',
    description:
      'Only `therapist_id`, `patient_id` and `date` are required; the duration defaults to 50 minutes.',
  })
  @ApiCreatedResponse({ type: SessionResponse, description: 'Created; `Location` names the new session.' })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'therapist_id', message: 'therapist 999 does not exist' },
      {
        field: 'date',
        message: 'date must be an ISO 8601 date-time with a time-zone offset, e.g. 2025-11-15T10:00:00Z',
      },
    ]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async create(@Body() body: CreateSessionDto): Promise<SessionResponse> {
    return toSessionResponse(await this.sessions.create(body));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a session',
    description: 'Only the fields sent are changed; `version` goes up by one.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'status', message: 'status must be one of: Scheduled, Completed' },
    ]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('session'),
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async update(@IdParam() id: number, @Body() body: UpdateSessionDto): Promise<SessionResponse> {
    return toSessionResponse(await this.sessions.update(id, body));
  }
}
