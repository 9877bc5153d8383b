import type { ClassConstructor } from 'class-transformer';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { Crumb } from '../common/web/crumb.js';
import { formState, type FormState } from '../common/web/form-view.js';
import type { DirectoryView } from './person-list.view.js';
import type { Person } from './person.repository.js';

export interface PersonFormSettings {
  /** The feature's form fragment, e.g. `therapists/_form`: the page includes it, htmx swaps it alone. */
  template: string;
  action: string;
  submitLabel: string;
  /** What the form says above its messages when a post fails. */
  failure: string;
  cancelUrl: string;
}

/** The new and edit pages of a therapist or patient, and the form they share (`Extras`: what the fields need). */
export type PersonFormView<Values, Extras> = FormState<Values> &
  Extras & {
    title: string;
    nav: Record<string, boolean>;
    directory: DirectoryView;
    breadcrumbs: Crumb[];
    form: PersonFormSettings;
    /** People already on file this may be (a 409 `possible-duplicate`), for the form to list and confirm. */
    duplicates?: unknown;
  };

/** What differs between the therapist and patient forms. */
export interface PersonFormKind<T extends Person, Values, CreateDto, UpdateDto, Extras> {
  create: ClassConstructor<CreateDto>;
  update: ClassConstructor<UpdateDto>;
  /** A new person's form. */
  empty: Values;
  /** The form exactly as posted. */
  read: (body: Record<string, unknown>) => Values;
  /** The stored person, as the edit form shows it. */
  of: (person: T) => Values;
  /** The form as the DTO's input. */
  input: (values: Values) => Record<string, unknown>;
  /** What the fields need besides their values (time zones, the latest date of birth). */
  extras: () => Extras;
}

/** Which form page: its title and breadcrumbs, and where the form posts and goes back to. */
export interface PersonFormPage {
  title: string;
  breadcrumbs: Crumb[];
  form: Omit<PersonFormSettings, 'template'>;
}

export const newPersonPage = (directory: DirectoryView): PersonFormPage => ({
  title: `New ${directory.noun}`,
  breadcrumbs: [{ label: directory.title, url: directory.path }, { label: `New ${directory.noun}` }],
  form: {
    action: directory.path,
    submitLabel: `Add ${directory.noun}`,
    failure: `The ${directory.noun} was not added.`,
    cancelUrl: directory.path,
  },
});

/** The edit page; `person` is what is stored, so a failed rename does not rename the page. */
export function editPersonPage(
  directory: DirectoryView,
  person: { id: number; name: string },
): PersonFormPage {
  const url = `${directory.path}/${person.id}`;
  return {
    title: `Edit ${person.name}`,
    breadcrumbs: [
      { label: directory.title, url: directory.path },
      { label: person.name, url },
      { label: 'Edit' },
    ],
    form: {
      action: url,
      submitLabel: 'Save changes',
      failure: 'The changes were not saved.',
      cancelUrl: url,
    },
  };
}

/** A form page with the user's values, and the problem of a failed post next to its fields. */
export function toPersonFormView<Values, Extras>(
  directory: DirectoryView,
  nav: Record<string, boolean>,
  page: PersonFormPage,
  form: { template: string; values: Values; extras: Extras },
  problem?: ProblemException,
): PersonFormView<Values, Extras> {
  return {
    title: page.title,
    nav,
    directory,
    breadcrumbs: page.breadcrumbs,
    form: { ...page.form, template: form.template },
    ...formState(form.values, problem ? errorsByField(problem.errors) : {}, problem),
    duplicates: problem?.problemType === 'possible-duplicate' ? problem.extensions.duplicates : undefined,
    ...form.extras,
  };
}
