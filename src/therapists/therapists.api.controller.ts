import { Body, Controller, Get, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../common/http/created.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { IDEMPOTENCY_KEY, LOCATION_HEADER, REPLAYED_HEADER } from '../openapi/api-headers.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { emailTakenExample, PeopleApi } from '../people/people.api.js';
import {
  CreateTherapistDto,
  ListTherapistsQuery,
  TherapistListResponse,
  TherapistResponse,
  UpdateTherapistDto,
} from './dto/therapist.dto.js';
import { toTherapistResponse } from './therapist.mapper.js';
import type { Therapist } from './therapist.entity.js';
import { TherapistsService } from './therapists.service.js';
import { Roles } from '../access/access.decorators.js';

const EMAIL_TAKEN = emailTakenExample('therapist');

@ApiTags('Therapists')
@Roles('receptionist', 'therapist')
@Controller('api/therapists')
@UseInterceptors(IdempotencyInterceptor)
export class TherapistsApiController {
  private readonly api: PeopleApi<Therapist, TherapistResponse, CreateTherapistDto, UpdateTherapistDto>;

  constructor(therapists: TherapistsService) {
    this.api = new PeopleApi(therapists, toTherapistResponse);
  }

  @Get()
  @ApiOperation({
    summary: 'List therapists',
    description:
      'Paginated; `q` finds every word (in any order) in the name or e-mail, ignoring case and accents.',
  })
  @ApiOkResponse({ type: TherapistListResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidQuery('sort', 'sort must be one of the following values: name, email, created_at'),
  )
  list(@Query() query: ListTherapistsQuery): Promise<TherapistListResponse> {
    return this.api.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one therapist' })
  @ApiParam({ name: 'id', type: Number, example: 1 })
  @ApiOkResponse({ type: TherapistResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('therapist'))
  get(@IdParam() id: number): Promise<TherapistResponse> {
    return this.api.get(id);
  }

  @Roles('receptionist')
  @Post()
  @Created()
  @ApiOperation({ summary: 'Create a therapist' })
  @IDEMPOTENCY_KEY
  @ApiCreatedResponse({
    type: TherapistResponse,
    description: 'Created; `Location` names the new therapist.',
    headers: { ...LOCATION_HEADER, ...REPLAYED_HEADER },
  })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'name', message: 'name must be between 1 and 200 characters' },
      { field: 'email', message: 'email must be a valid e-mail address' },
    ]),
    COMMON_PROBLEMS.malformedJson,
    EMAIL_TAKEN,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
    COMMON_PROBLEMS.keyInUse,
  )
  create(@Body() body: CreateTherapistDto): Promise<TherapistResponse> {
    return this.api.create(body);
  }

  @Roles('receptionist')
  @Patch(':id')
  @ApiOperation({ summary: 'Update a therapist', description: 'Only the fields sent are changed.' })
  @ApiParam({ name: 'id', type: Number, example: 1 })
  @ApiOkResponse({ type: TherapistResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'email', message: 'email must be a valid e-mail address' }]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('therapist'),
    EMAIL_TAKEN,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  update(@IdParam() id: number, @Body() body: UpdateTherapistDto): Promise<TherapistResponse> {
    return this.api.update(id, body);
  }
}
