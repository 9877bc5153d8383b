import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { VersionEtag } from '../common/http/etag.js';
import { IdParam } from '../common/http/id-param.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { ETAG_HEADER, LOCATION_HEADER } from '../openapi/api-headers.js';
import { BookWaitlistEntryDto } from '../waitlist/dto/waitlist.dto.js';
import { ENTRY_CLOSED } from '../waitlist/waitlist.api.controller.js';
import { SessionResponse } from './dto/session.dto.js';
import { toSessionResponse } from './session.mapper.js';
import { AWAY, BOOKS_FOR_OTHERS, BUFFER, CLOSED, OUTSIDE_HOURS, OVERLAP } from './sessions.api.docs.js';
import { WaitlistBookingService } from './waitlist-booking.service.js';

@ApiTags('Waitlist')
@Roles('receptionist', 'therapist')
@Controller('api/waitlist/:id/book')
export class WaitlistBookingApiController {
  constructor(private readonly booking: WaitlistBookingService) {}

  @Post()
  @HttpCode(201)
  @VersionEtag()
  @ApiOperation({
    summary: 'Book a waiting patient',
    description:
      'Books the entry’s patient as `POST /api/sessions` would (every rule applies) and closes the entry as ' +
      '`booked` with the session, in one transaction: a refused booking leaves the entry open. `therapist_id` ' +
      'defaults to the entry’s therapist.',
  })
  @ApiParam({ name: 'id', type: Number, example: 4, description: 'The waitlist entry.' })
  @ApiCreatedResponse({
    type: SessionResponse,
    description: 'The session booked; `Location` names it.',
    headers: { ...LOCATION_HEADER, ...ETAG_HEADER },
  })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'therapist_id', message: 'therapist_id is required: the entry names no therapist' },
    ]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('waitlist entry'),
    ENTRY_CLOSED,
    OVERLAP,
    OUTSIDE_HOURS,
    AWAY,
    CLOSED,
    BUFFER,
    BOOKS_FOR_OTHERS,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async book(
    @IdParam() id: number,
    @Body() body: BookWaitlistEntryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponse> {
    const session = toSessionResponse(await this.booking.book(id, body));
    response.location(`/api/sessions/${session.id}`);
    return session;
  }
}
