import { Body, Get, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { IdParam } from '../common/http/id-param.js';
import { isHtmx } from '../common/web/htmx.js';
import { Page, type PageView } from '../common/web/page.js';
import type { PeoplePages, PersonFormResult, PersonTypes } from './people.pages.js';
import type { PersonFormView } from './person-form.view.js';
import type { PersonListView } from './person-list.view.js';
import type { PersonPageView } from './person-page.view.js';
import { Roles } from '../access/access.decorators.js';

/**
 * The routes the therapist and patient pages share; a feature's controller names its path (`@Controller`), its
 * pages and what its person's page shows, and may add its own routes. These routes are registered after the
 * feature's own, and in this order, so `new` is never read as an id. Sections other modules serve under a person
 * (`/therapists/:id/sessions`, `…/working-hours`) have one more path segment than `:id` can match, so neither
 * shadows the other whichever module registers first.
 */
export abstract class PeoplePagesController<P extends PersonTypes> {
  protected abstract readonly pages: PeoplePages<P>;

  /** The person's page: what every person's page shows, and the feature's details (`details` template). */
  protected abstract pageView(id: number): Promise<PersonPageView<P['view']>>;

  @Get()
  @Page('people/index', 'people/_results')
  list(@Query() raw: Record<string, unknown>, @Req() request: Request): Promise<PageView<PersonListView>> {
    return this.pages.list(raw, isHtmx(request));
  }

  @Roles('receptionist')
  @Get('new')
  @Page('people/form')
  newForm(): PersonFormView<P['values'], P['extras']> {
    return this.pages.newForm();
  }

  @Roles('receptionist')
  @Post()
  @Page('people/form', 'people/_form')
  create(@Body() body: Record<string, unknown>): PersonFormResult<P> {
    return this.pages.create(body);
  }

  @Get(':id')
  @Page('people/show')
  show(@IdParam() id: number): Promise<PersonPageView<P['view']>> {
    return this.pageView(id);
  }

  @Roles('receptionist')
  @Get(':id/edit')
  @Page('people/form')
  editForm(@IdParam() id: number): Promise<PersonFormView<P['values'], P['extras']>> {
    return this.pages.editForm(id);
  }

  @Roles('receptionist')
  @Post(':id')
  @Page('people/form', 'people/_form')
  update(@IdParam() id: number, @Body() body: Record<string, unknown>): PersonFormResult<P> {
    return this.pages.update(id, body);
  }
}
