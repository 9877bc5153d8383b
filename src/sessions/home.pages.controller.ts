import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';

@ApiExcludeController()
@Roles('receptionist', 'therapist')
@Controller()
export class HomePagesController {
  @Get()
  @Redirect('/sessions', 302)
  home(): void {
    // The sessions list is the home page.
  }
}
