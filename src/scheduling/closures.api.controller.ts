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
import { ClosuresService } from './closures.service.js';
import { ClosureCreatedResponse, ClosureListResponse, CreateClosureDto } from './dto/unavailability.dto.js';
import { toClosureCreated, toClosureResponse } from './unavailability.mapper.js';

@ApiTags('Closures')
@Controller('api/closures')
export class ClosuresApiController {
  constructor(private readonly closures: ClosuresService) {}

  @Get()
  @Roles('receptionist', 'therapist')
  @ApiOperation({
    summary: 'Clinic closures',
    description: 'Days the whole clinic is closed (public holidays): no session can be booked on them.',
  })
  @ApiOkResponse({ type: ClosureListResponse })
  async list(): Promise<ClosureListResponse> {
    return { data: (await this.closures.list()).map(toClosureResponse) };
  }

  @Post()
  @Created()
  @Roles('receptionist')
  @ApiOperation({
    summary: 'Add a closure',
    description:
      'Days in the clinic’s time zone, both inclusive. Answers with the Scheduled sessions it leaves out ' +
      '(`stranded_sessions`), to be moved.',
  })
  @ApiCreatedResponse({ type: ClosureCreatedResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'ends_on', message: 'ends_on must not be before starts_on' }]),
    COMMON_PROBLEMS.malformedJson,
    {
      type: 'conflict',
      description: 'It overlaps another closure',
      detail: 'The clinic is already closed on some of these days.',
      errors: [{ field: 'starts_on', message: 'overlaps another closure' }],
    },
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async add(@Body() body: CreateClosureDto): Promise<ClosureCreatedResponse> {
    const { closure, stranded } = await this.closures.add(body);
    return toClosureCreated(closure, stranded);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('receptionist')
  @ApiOperation({ summary: 'Remove a closure' })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('closure'))
  async remove(@IdParam() id: number): Promise<void> {
    await this.closures.remove(id);
  }
}
