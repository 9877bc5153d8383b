import { Body, Controller, Get, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../common/http/created.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { IDEMPOTENCY_KEY, LOCATION_HEADER, REPLAYED_HEADER } from '../openapi/api-headers.js';
import {
  ApiProblems,
  COMMON_PROBLEMS,
  type ProblemExample,
} from '../common/problems/api-problem-responses.decorator.js';
import { emailTakenExample, PeopleApi } from '../people/people.api.js';
import {
  CreatePatientDto,
  ListPatientsQuery,
  PatientListResponse,
  PatientResponse,
  UpdatePatientDto,
} from './dto/patient.dto.js';
import { toPatientResponse } from './patient.mapper.js';
import type { Patient } from './patient.entity.js';
import { PatientsService } from './patients.service.js';
import { Roles } from '../access/access.decorators.js';

const EMAIL_TAKEN = emailTakenExample('patient');
const POSSIBLE_DUPLICATE: ProblemExample = {
  type: 'possible-duplicate',
  description: 'A patient with the same name and date of birth, or the same phone number, is on file',
  detail:
    'A patient with the same name and date of birth, or the same phone number, already on file: check it is not the same person, or confirm that this is another one.',
  extensions: {
    duplicates: [
      { id: 12, name: 'María González', date_of_birth: '1984-03-02', phone: null, url: '/patients/12' },
    ],
  },
};

@ApiTags('Patients')
@Roles('receptionist', 'therapist')
@Controller('api/patients')
@UseInterceptors(IdempotencyInterceptor)
export class PatientsApiController {
  private readonly api: PeopleApi<Patient, PatientResponse, CreatePatientDto, UpdatePatientDto>;

  constructor(patients: PatientsService) {
    this.api = new PeopleApi(patients, toPatientResponse);
  }

  @Get()
  @ApiOperation({
    summary: 'List patients',
    description:
      'Paginated; `q` finds every word (in any order) in the name or e-mail, ignoring case and accents, or a phone number whatever its punctuation.',
  })
  @ApiOkResponse({ type: PatientListResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidQuery('sort', 'sort must be one of the following values: name, email, created_at'),
  )
  list(@Query() query: ListPatientsQuery): Promise<PatientListResponse> {
    return this.api.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one patient' })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiOkResponse({ type: PatientResponse })
  @ApiProblems(COMMON_PROBLEMS.invalidId, COMMON_PROBLEMS.notFound('patient'))
  get(@IdParam() id: number): Promise<PatientResponse> {
    return this.api.get(id);
  }

  @Roles('receptionist')
  @Post()
  @Created()
  @ApiOperation({ summary: 'Create a patient' })
  @IDEMPOTENCY_KEY
  @ApiCreatedResponse({
    type: PatientResponse,
    description: 'Created; `Location` names the new patient.',
    headers: { ...LOCATION_HEADER, ...REPLAYED_HEADER },
  })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      { field: 'name', message: 'name must be between 1 and 200 characters' },
      { field: 'date_of_birth', message: 'date_of_birth must be a real calendar date written as YYYY-MM-DD' },
    ]),
    COMMON_PROBLEMS.malformedJson,
    EMAIL_TAKEN,
    POSSIBLE_DUPLICATE,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
    COMMON_PROBLEMS.keyInUse,
  )
  create(@Body() body: CreatePatientDto): Promise<PatientResponse> {
    return this.api.create(body);
  }

  @Roles('receptionist')
  @Patch(':id')
  @ApiOperation({ summary: 'Update a patient', description: 'Only the fields sent are changed.' })
  @ApiParam({ name: 'id', type: Number, example: 2 })
  @ApiOkResponse({ type: PatientResponse })
  @ApiProblems(
    COMMON_PROBLEMS.invalidBody([
      {
        field: 'phone',
        message: 'phone must be a phone number: digits, spaces, ( ) . - and an optional leading +',
      },
    ]),
    COMMON_PROBLEMS.malformedJson,
    COMMON_PROBLEMS.notFound('patient'),
    EMAIL_TAKEN,
    COMMON_PROBLEMS.tooLarge,
    COMMON_PROBLEMS.unsupportedMediaType,
  )
  update(@IdParam() id: number, @Body() body: UpdatePatientDto): Promise<PatientResponse> {
    return this.api.update(id, body);
  }
}
