import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { HOME_PATH } from '../common/web/home-path.js';

@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller()
export class HomePagesController {
  @Get()
  @Redirect(HOME_PATH, 302)
  home(): void {
    // The day sheet is the home page.
  }
}
