import {
  Body,
  Controller,
  Get,
  HttpCode,
  Patch,
  Post,
  Query,
  Req,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { csvFile, wantsCsv } from '../common/http/csv.js';
import { Created } from '../common/http/created.decorator.js';
import { IfMatchVersions, VersionEtag } from '../common/http/etag.js';
import { IdParam } from '../common/http/id-param.js';
import { ApiProblems, COMMON_PROBLEMS } from '../common/problems/api-problem-responses.decorator.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import {
  CancelledSessionsResponse,
  CancelSessionDto,
  CreateSeriesDto,
  CreateSessionDto,
  ListSessionsQuery,
  SeriesResponse,
  SessionHistoryResponse,
  SessionListResponse,
  SessionResponse,
  UpdateSessionDto,
} from './dto/session.dto.js';
import {
  cursorLinks,
  toSessionEventResponse,
  toSessionListResponse,
  toSessionResponse,
} from './session.mapper.js';
import { SessionBookingService } from './session-booking.service.js';
import { SessionChangesService } from './session-changes.service.js';
import {
  BOOKS_FOR_OTHERS,
  BUFFER,
  IF_MATCH,
  KEY_REUSED,
  MOVES,
  OUTSIDE_HOURS,
  AWAY,
  CLOSED,
  OVERLAP,
  STALE,
  TRANSITION,
} from './sessions.api.docs.js';
import { SessionReadsService } from './session-reads.service.js';
import { ETAG_HEADER, IDEMPOTENCY_KEY, LOCATION_HEADER, REPLAYED_HEADER } from '../openapi/api-headers.js';
import { Roles } from '../access/access.decorators.js';

@ApiTags('Sessions')
@Roles('receptionist', 'therapist')
@Controller('api/sessions')
@UseInterceptors(IdempotencyInterceptor)
export class SessionsApiController {
  constructor(
    private readonly reads: SessionReadsService,
    private readonly booking: SessionBookingService,
    private readonly changes: SessionChangesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List sessions',
    description:
      'Filter by status, therapist, patient, series and start-time range; `q` finds every word (in any order) ' +
      "in the therapist's or the patient's name or e-mail, ignoring case and accents. Sorted by `sort` then start time then id, so pages are stable.",
  })
  @ApiExtraModels(SessionListResponse)
  @ApiOkResponse({
    description:
      'JSON by default; with `Accept: text/csv`, every matching session (all pages, same filters and sort) as CSV ' +
      'with a header row, streamed from PostgreSQL (`COPY`) in constant memory; notes are not exported. The export ' +
      'is recorded in the audit trail as `session.export`.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SessionListResponse) } },
      'text/csv': {
        schema: { type: 'string' },
        example:
          'id,starts_at,ends_at,duration_minutes,therapist_id,therapist,patient_id,patient,status,status_reason,series_id,checked_in_at\n' +
          '17,2025-11-15T10:00:00.000Z,2025-11-15T10:50:00.000Z,50,1,Dr. Maya Chen,2,Jordan Lee,Scheduled,,,\n',
      },
    },
  })
  @ApiProblems(
    COMMON_PROBLEMS.invalidQuery(
      'status',
      'status must be one of: Scheduled, Completed, Cancelled, Late-Cancelled, No-Show',
    ),
    COMMON_PROBLEMS.invalidQuery('page_size', 'page_size must not be greater than 100'),
  )
  async list(
    @Query() query: ListSessionsQuery,
    @Req() request: Request,
  ): Promise<SessionListResponse | StreamableFile> {
    return wantsCsv(request)
      ? csvFile(await this.reads.exportCsv(query), 'sessions.csv')
      : toSessionListResponse(await this.reads.list(query), cursorLinks(request.originalUrl));
  }

  @Get(':id')
  @VersionEtag()
  @ApiOperation({
    summary: 'Get one session',
    description: 'The `ETag` header carries its version, for `If-Match`.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionResponse, headers: ETAG_HEADER })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('session'))
  async get(@IdParam() id: number): Promise<SessionResponse> {
    return toSessionResponse(await this.reads.get(id));
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'History of a session',
    description:
      'Every change, oldest first: created, status changes (with the reason), reschedules, notes edits.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionHistoryResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('session'))
  async history(@IdParam() id: number): Promise<SessionHistoryResponse> {
    return { data: (await this.reads.history(id)).map(toSessionEventResponse) };
  }

  @Post()
  @Created()
  @VersionEtag()
  @IDEMPOTENCY_KEY
  @ApiOperation({
    summary: 'Book a session',
    description:
      'Only `therapist_id`, `patient_id` and `date` are required; the duration defaults to 50 minutes. Nobody ' +
      'can be in two sessions at once (enforced by the database). A session that has not ended yet must also ' +
      'fall within the therapist’s working hours and keep their buffer to other sessions; one that has already ' +
      'ended (backfill) is only checked for overlaps.',
  })
  @ApiCreatedResponse({
    type: SessionResponse,
    description: 'Created; `Location` names the new session.',
    headers: { ...LOCATION_HEADER, ...ETAG_HEADER, ...REPLAYED_HEADER },
  })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'therapist_id', message: 'therapist 999 does not exist' },
      {
        field: 'date',
        message: 'date must be an ISO 8601 date-time with a time-zone offset, e.g. 2025-11-15T10:00:00Z',
      },
    ]),
    COMMON_PROBLEMS.malformedJson,
    OVERLAP,
    OUTSIDE_HOURS,
    AWAY,
    CLOSED,
    BUFFER,
    BOOKS_FOR_OTHERS,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
    KEY_REUSED,
    COMMON_PROBLEMS.keyInUse,
  )
  async create(@Body() body: CreateSessionDto): Promise<SessionResponse> {
    return toSessionResponse(await this.booking.create(body));
  }

  @Post('series')
  @HttpCode(201)
  @IDEMPOTENCY_KEY
  @ApiOperation({
    summary: 'Book a recurring series',
    description:
      'A weekly or fortnightly series of up to 52 sessions at the same local time (in the therapist’s time zone, ' +
      'so it stays put across daylight-saving changes). All or nothing: if any occurrence overlaps, falls outside ' +
      'working hours or inside a buffer, nothing is booked and `failing_occurrences` lists every one. With ' +
      '`on_conflict: skip`, the others are booked and `skipped` lists those that were not, and why.',
  })
  @ApiCreatedResponse({ type: SeriesResponse, headers: REPLAYED_HEADER })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'occurrences', message: 'occurrences must not be greater than 52' },
    ]),
    {
      type: 'series-not-bookable',
      description: 'Some occurrences cannot be booked; none was',
      detail: '1 of 10 occurrences cannot be booked, so none was.',
      errors: [
        { field: 'occurrences[3]', message: '2025-12-08T10:00:00.000Z: overlaps session 40 of the patient' },
      ],
      extensions: {
        failing_occurrences: [
          {
            index: 3,
            date: '2025-12-08T10:00:00.000Z',
            ends_at: '2025-12-08T10:50:00.000Z',
            reason: 'overlaps session 40 of the patient',
            conflicting_session_id: 40,
          },
        ],
      },
    },
    COMMON_PROBLEMS.malformedJson,
    BOOKS_FOR_OTHERS,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
    KEY_REUSED,
    COMMON_PROBLEMS.keyInUse,
  )
  async createSeries(@Body() body: CreateSeriesDto): Promise<SeriesResponse> {
    const { series, sessions, skipped } = await this.booking.createSeries(body);
    return {
      series: { id: series.id, frequency: series.frequency, occurrences: series.occurrences },
      data: sessions.map(toSessionResponse),
      skipped,
    };
  }

  @Patch(':id')
  @VersionEtag()
  @IF_MATCH
  @ApiOperation({
    summary: 'Update a session',
    description:
      'Only the fields sent change; `version` goes up by one. Status changes follow the lifecycle: Scheduled → ' +
      'Completed or No-Show once the session has started; Scheduled → Cancelled (more than LATE_CANCEL_HOURS ' +
      'before the start) or Late-Cancelled (within them), each with a `reason`; any other status → Scheduled ' +
      '(reopen). Only a Scheduled session can be rescheduled (`date`, `duration_minutes`); sent together with a ' +
      'status, a Scheduled session is moved first (correct the length, then complete it) and any other is ' +
      'reopened first.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: SessionResponse, headers: ETAG_HEADER })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([{ field: 'reason', message: 'reason is required to cancel a session' }]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('session'),
    TRANSITION,
    OVERLAP,
    OUTSIDE_HOURS,
    AWAY,
    CLOSED,
    STALE,
    MOVES,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  async update(
    @IdParam() id: number,
    @Body() body: UpdateSessionDto,
    @IfMatchVersions() expectedVersions?: number[],
  ): Promise<SessionResponse> {
    return toSessionResponse(await this.changes.update(id, body, { expectedVersions }));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  // The addressed session comes first; its ETag serves a later If-Match on it.
  @VersionEtag((body) => (body as CancelledSessionsResponse).data[0]?.version)
  @IF_MATCH
  @IDEMPOTENCY_KEY
  @ApiOperation({
    summary: 'Cancel a session, or it and the rest of its series',
    description:
      'Each session becomes Cancelled, or Late-Cancelled within LATE_CANCEL_HOURS of its start. `scope: ' +
      'following` also cancels every later Scheduled session of the same series.',
  })
  @ApiParam({ name: 'id', type: Number, example: 17 })
  @ApiOkResponse({ type: CancelledSessionsResponse, headers: { ...ETAG_HEADER, ...REPLAYED_HEADER } })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'reason', message: 'reason must be between 1 and 500 characters' },
    ]),
    COMMON_PROBLEMS.notFound('session'),
    TRANSITION,
    STALE,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
    KEY_REUSED,
    COMMON_PROBLEMS.keyInUse,
  )
  async cancel(
    @IdParam() id: number,
    @Body() body: CancelSessionDto,
    @IfMatchVersions() expectedVersions?: number[],
  ): Promise<CancelledSessionsResponse> {
    return { data: (await this.changes.cancel(id, body, { expectedVersions })).map(toSessionResponse) };
  }
}
