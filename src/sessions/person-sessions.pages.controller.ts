import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.js';
import { ClinicClock } from '../common/time/clinic-time.js';
import { Page } from '../common/web/page.js';
import type { DirectoryView } from '../people/person-list.view.js';
import { PATIENTS } from '../patients/patient.view.js';
import { PatientsService } from '../patients/patients.service.js';
import { THERAPISTS } from '../therapists/therapist.view.js';
import { TherapistsService } from '../therapists/therapists.service.js';
import {
  personSessionsView,
  toPersonSessionsPageView,
  type PersonSessionsPageView,
  type SessionsOf,
} from './person-sessions.view.js';
import { SessionReadsService } from './session-reads.service.js';
import { Roles } from '../access/access.decorators.js';

/**
 * A therapist's or patient's upcoming and past sessions. Their page loads this fragment (htmx), so the people pages
 * never depend on sessions; without JavaScript the page links here and gets it as a page of its own.
 */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller()
export class PersonSessionsPagesController {
  constructor(
    private readonly reads: SessionReadsService,
    private readonly therapists: TherapistsService,
    private readonly patients: PatientsService,
    private readonly clock: ClinicClock,
  ) {}

  @Get('therapists/:id/sessions')
  @Page('sessions/person', 'sessions/_person')
  async ofTherapist(@IdParam() id: number): Promise<PersonSessionsPageView> {
    return this.pageView(THERAPISTS, await this.therapists.get(id), 'therapist');
  }

  @Get('patients/:id/sessions')
  @Page('sessions/person', 'sessions/_person')
  async ofPatient(@IdParam() id: number): Promise<PersonSessionsPageView> {
    return this.pageView(PATIENTS, await this.patients.fetch(id), 'patient');
  }

  private async pageView(
    directory: DirectoryView,
    person: { id: number; name: string },
    role: SessionsOf['role'],
  ): Promise<PersonSessionsPageView> {
    const sessions = await personSessionsView(this.reads, this.clock, { role, id: person.id });
    return toPersonSessionsPageView(directory, person, role, sessions);
  }
}
