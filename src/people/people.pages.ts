import type { ProblemException } from '../common/problems/problem.exception.js';
import { validateInput, withoutEmptyValues } from '../common/validation/validate-input.js';
import { handleFormPost } from '../common/web/form-post.js';
import { PageView, redirectTo, type Redirect } from '../common/web/page.js';
import type { PeopleService } from './people.service.js';
import {
  editPersonPage,
  newPersonPage,
  toPersonFormView,
  type PersonFormKind,
  type PersonFormPage,
  type PersonFormView,
} from './person-form.view.js';
import { PersonListQuery } from './person-list.query.js';
import {
  emptyPage,
  invalidPersonListState,
  personListState,
  toPersonListView,
  type DirectoryView,
  type PersonColumn,
  type PersonListView,
} from './person-list.view.js';
import type { PersonSummaryView } from './person-page.view.js';
import type { Person } from './person.repository.js';

/** The types of one kind of person's pages: entity, view, form values, DTOs and what the form needs besides. */
export interface PersonTypes {
  entity: Person;
  view: PersonSummaryView;
  values: object;
  create: object;
  update: object;
  extras: object;
}

/** What distinguishes the therapist pages from the patient pages. */
export interface PersonKind<P extends PersonTypes> {
  directory: DirectoryView;
  nav: Record<string, boolean>;
  service: PeopleService<P['entity'], P['create'], P['update']>;
  columns: PersonColumn<P['view']>[];
  toView: (person: P['entity']) => P['view'];
  /** The feature's form fragment, e.g. `therapists/_form`. */
  formTemplate: string;
  form: PersonFormKind<P['entity'], P['values'], P['create'], P['update'], P['extras']>;
}

export type PersonFormResult<P extends PersonTypes> = Promise<
  PageView<PersonFormView<P['values'], P['extras']>> | Redirect
>;

/**
 * The directory, new and edit pages of one kind of person, over the same service and DTOs as the API; the
 * routes are PeoplePagesController's.
 */
export class PeoplePages<P extends PersonTypes> {
  constructor(private readonly kind: PersonKind<P>) {}

  /** List, search, sort and pages: invalid parameters show the page with their messages and a 400. */
  async list(raw: Record<string, unknown>, htmx: boolean): Promise<PageView<PersonListView>> {
    const parsed = await validateInput(PersonListQuery, withoutEmptyValues(raw));
    const state = parsed.ok ? personListState(parsed.value) : invalidPersonListState(raw);
    const page = parsed.ok
      ? await this.kind.service.list(parsed.value.toCriteria())
      : emptyPage<P['entity']>(state);
    const errors = parsed.ok ? [] : parsed.errors;
    const view = toPersonListView({
      directory: this.kind.directory,
      nav: this.kind.nav,
      columns: this.kind.columns,
      page: { ...page, items: page.items.map(this.kind.toView) },
      state,
      errors,
      fullPage: !htmx,
    });
    return new PageView(view, { status: errors.length ? 400 : 200 });
  }

  newForm(): PersonFormView<P['values'], P['extras']> {
    return this.formView(newPersonPage(this.kind.directory), this.kind.form.empty);
  }

  create(body: Record<string, unknown>): PersonFormResult<P> {
    const values = this.kind.form.read(body);
    return handleFormPost({
      dto: this.kind.form.create,
      input: this.kind.form.input(values),
      run: async (input) => this.saved(await this.kind.service.create(input), 'added'),
      showProblem: (problem) => this.formView(newPersonPage(this.kind.directory), values, problem),
    });
  }

  async editForm(id: number): Promise<PersonFormView<P['values'], P['extras']>> {
    const person = await this.kind.service.get(id);
    return this.formView(editPersonPage(this.kind.directory, person), this.kind.form.of(person));
  }

  async update(id: number, body: Record<string, unknown>): PersonFormResult<P> {
    const person = await this.kind.service.get(id);
    // What the page calls the person stays the stored name, even after a change that failed.
    const page = editPersonPage(this.kind.directory, { id: person.id, name: person.name });
    const values = this.kind.form.read(body);
    return handleFormPost({
      dto: this.kind.form.update,
      input: this.kind.form.input(values),
      run: async (input) => this.saved(await this.kind.service.update(id, input), 'saved'),
      showProblem: (problem) => this.formView(page, values, problem),
    });
  }

  /** To the person's page, confirming the change, e.g. `Therapist added: Dr Ada Chen`. */
  private saved(person: P['entity'], change: 'added' | 'saved'): Redirect {
    const noun = this.kind.directory.noun;
    const message = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${change}: ${person.name}`;
    return redirectTo(`${this.kind.directory.path}/${person.id}`, message);
  }

  private formView(
    page: PersonFormPage,
    values: P['values'],
    problem?: ProblemException,
  ): PersonFormView<P['values'], P['extras']> {
    const form = { template: this.kind.formTemplate, values, extras: this.kind.form.extras() };
    return toPersonFormView(this.kind.directory, this.kind.nav, page, form, problem);
  }
}
