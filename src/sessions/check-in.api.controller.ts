import { Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { VersionEtag } from '../common/http/etag.js';
import { IdParam } from '../common/http/id-param.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { ETAG_HEADER } from '../openapi/api-headers.js';
import { SessionResponse } from './dto/session.dto.js';
import { SessionCheckInService } from './session-check-in.service.js';
import { toSessionResponse } from './session.mapper.js';

/** The patient's arrival: `checked_in_at` on the session, recorded in its history. */
@ApiTags('Sessions')
@Roles('receptionist', 'therapist')
@Controller('api/sessions/:id/check-in')
export class CheckInApiController {
  constructor(private readonly checkIns: SessionCheckInService) {}

  @Post()
  @HttpCode(200)
  @VersionEtag()
  @ApiOperation({
    summary: 'Check the patient in',
    description:
      'Records now as `checked_in_at` and adds a `checked_in` entry to the history. Only on the day of the ' +
      'session (in CLINIC_TIMEZONE), and not for a Cancelled, Late-Cancelled or No-Show session. The status ' +
      'stays as it is. Checking in again changes nothing.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionResponse, headers: ETAG_HEADER })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('session'), {
    type: 'conflict',
    description: 'Not on the day of the session, or the session does not take place',
    detail: 'Check-in is on the day of the session, Mon, 17 Nov 2025.',
    errors: [{ field: 'checked_in_at', message: 'Check-in is on the day of the session, Mon, 17 Nov 2025.' }],
    extensions: { current_status: 'Scheduled' },
  })
  async checkIn(@IdParam() id: number): Promise<SessionResponse> {
    return toSessionResponse(await this.checkIns.checkIn(id));
  }

  @Delete()
  @VersionEtag()
  @ApiOperation({
    summary: 'Undo a check-in',
    description:
      'Clears `checked_in_at` and adds a `check_in_undone` entry to the history; a session not checked in is ' +
      'answered unchanged.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionResponse, headers: ETAG_HEADER })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('session'))
  async undo(@IdParam() id: number): Promise<SessionResponse> {
    return toSessionResponse(await this.checkIns.undo(id));
  }
}
