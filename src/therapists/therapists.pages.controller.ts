import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ClinicClock } from '../common/time/clinic-time.js';
import { PeoplePagesController } from '../people/people.pages.controller.js';
import {
  therapistPages,
  toTherapistPageView,
  type TherapistPages,
  type TherapistPageView,
  type TherapistTypes,
} from './therapist.view.js';
import { TherapistsService } from './therapists.service.js';
import { Roles } from '../access/access.decorators.js';

/** Staff pages for therapists: the same service and DTOs as the API, rendered as HTML. */
@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller('therapists')
export class TherapistsPagesController extends PeoplePagesController<TherapistTypes> {
  protected readonly pages: TherapistPages;

  constructor(
    private readonly therapists: TherapistsService,
    private readonly clock: ClinicClock,
  ) {
    super();
    this.pages = therapistPages(therapists, clock);
  }

  protected async pageView(id: number): Promise<TherapistPageView> {
    return toTherapistPageView(await this.therapists.get(id), this.clock);
  }
}
