import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FieldError } from '../common/problems/problem-details.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { handleFormPost } from '../common/web/form-post.js';
import { parseId } from '../common/http/id-param.js';
import { formText } from '../common/web/form-view.js';
import { Page, PageView, redirectTo, type Redirect } from '../common/web/page.js';
import { PatientsService } from '../patients/patients.service.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import { CreateSeriesDto, CreateSessionDto } from './dto/session.dto.js';
import { sessionFormToInput, sessionFormValues, type SessionFormValues } from './session-form.js';
import { toSessionFormView, type SessionFormView } from './session-form.view.js';
import { conflictHelpOf, sessionProblemOf } from './session-problem.view.js';
import { seriesBooked, sessionBooked } from './session-confirmations.js';
import { SessionBookingService } from './session-booking.service.js';
import { Roles } from '../access/access.decorators.js';

/** Booking: one session, or a weekly or fortnightly series. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('sessions')
export class SessionFormPagesController {
  constructor(
    private readonly booking: SessionBookingService,
    private readonly therapists: TherapistsService,
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
  ) {}

  /** The form, with the therapist, patient or time a link chose (the calendar's free slots, a person's page). */
  @Get('new')
  @Page('sessions/new')
  newForm(@Query() raw: Record<string, unknown>): Promise<SessionFormView> {
    const values = { ...sessionFormValues(raw), duration_minutes: '50', occurrences: '10' };
    return this.formView(values, [], undefined, formText(raw.patient_q));
  }

  @Post()
  @Page('sessions/new', 'sessions/_form')
  async create(@Body() body: Record<string, unknown>): Promise<PageView<SessionFormView> | Redirect> {
    const values = sessionFormValues(body);
    // A free start offered after a refusal: it refills the form (nothing is booked until the user books again).
    const suggested = formText(body.suggested_date);
    if (suggested) return new PageView(await this.formView({ ...values, date: suggested }, []));
    // "Find" beside the patient search of a large clinic: the same form again, with the patients it found.
    if (formText(body.find_patient)) {
      return new PageView(await this.formView(values, [], undefined, formText(body.patient_q)));
    }
    const { input, errors } = sessionFormToInput(values, this.clock);
    return handleFormPost<CreateSessionDto | CreateSeriesDto, SessionFormView>({
      dto: values.repeat === '' ? CreateSessionDto : CreateSeriesDto,
      input,
      inputErrors: errors,
      run: (booking) => this.book(booking),
      // Invalid input shows on its fields; only a refusal by the rules may need a message of its own.
      showProblem: (problem, failure) =>
        this.formView(values, problem.errors, failure === 'refused' ? problem : undefined),
      problemOf: sessionProblemOf(this.clock),
    });
  }

  /** Books the session or series; goes to the session (a series' first one), saying what was booked. */
  private async book(booking: CreateSessionDto | CreateSeriesDto): Promise<Redirect> {
    if (booking instanceof CreateSeriesDto) {
      const { sessions, skipped } = await this.booking.createSeries(booking);
      const first = sessions[0];
      return redirectTo(
        first ? `/sessions/${first.id}` : '/sessions',
        seriesBooked(sessions, booking.frequency, this.clock, skipped),
      );
    }
    const session = await this.booking.create(booking);
    return redirectTo(`/sessions/${session.id}`, sessionBooked(session, this.clock));
  }

  private async formView(
    values: SessionFormValues,
    errors: FieldError[],
    problem?: ProblemException,
    patientQuery?: string,
  ): Promise<SessionFormView> {
    const [therapists, patients] = await Promise.all([
      this.therapists.names(),
      this.patients.choices({ q: patientQuery, chosen: parseId(values.patient_id) }),
    ]);
    return toSessionFormView(
      values,
      { therapists, patients, timeZone: this.clock.timeZone },
      errors,
      problem,
      conflictHelpOf(problem, this.clock),
    );
  }
}
