import { Temporal } from 'temporal-polyfill';
import type { ProblemException } from '../common/problems/problem.exception.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { Crumb } from '../common/web/crumb.js';
import { formText } from '../common/web/form-view.js';
import type { Closure } from './closure.entity.js';
import type { AddedClosure } from './closures.service.js';
import { toStrandedListView, type StrandedListView } from './stranded.view.js';

export const CLOSURES_PATH = '/closures';
export const CLOSURES_NAV = { closures: true };

/** The add form as the user filled it in; an empty last day means a single day. */
export type ClosureFormValues = { starts_on: string; ends_on: string; name: string };

export const EMPTY_CLOSURE: ClosureFormValues = { starts_on: '', ends_on: '', name: '' };

export const closureFormValues = (body: Record<string, unknown>): ClosureFormValues => ({
  starts_on: formText(body.starts_on),
  ends_on: formText(body.ends_on),
  name: formText(body.name),
});

export const closureInput = (values: ClosureFormValues): ClosureFormValues => ({
  ...values,
  ends_on: values.ends_on === '' ? values.starts_on : values.ends_on,
});

export const closureUrl = (closure: Pick<Closure, 'id'>): string => `${CLOSURES_PATH}/${closure.id}`;

const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dayOf = (date: string): string => DAY.format(new Date(Temporal.PlainDate.from(date).toString()));

/** e.g. `Sat, 25 Dec 2027`, or `Sat, 25 Dec 2027 – Sun, 26 Dec 2027`. */
export const closureDays = (closure: Pick<Closure, 'startsOn' | 'endsOn'>): string =>
  closure.startsOn === closure.endsOn
    ? dayOf(closure.startsOn)
    : `${dayOf(closure.startsOn)} – ${dayOf(closure.endsOn)}`;

export const closureAdded = (closure: Closure): string =>
  `Closure added: ${closure.name}, ${closureDays(closure)}`;

export interface ClosureView {
  id: number;
  name: string;
  days: string;
  url: string;
  deleteUrl: string;
}

const toClosureView = (closure: Closure): ClosureView => ({
  id: closure.id,
  name: closure.name,
  days: closureDays(closure),
  url: closureUrl(closure),
  deleteUrl: `${closureUrl(closure)}/delete`,
});

export interface ClosuresPageView {
  title: string;
  nav: Record<string, boolean>;
  timeZone: string;
  closures: ClosureView[];
  formUrl: string;
  values: ClosureFormValues;
  errors: Record<string, string>;
  formError?: string;
}

const FIELDS = ['starts_on', 'ends_on', 'name'];

export function toClosuresPageView(
  closures: Closure[],
  values: ClosureFormValues,
  clock: ClinicClock,
  problem?: ProblemException,
): ClosuresPageView {
  const errors = errorsByField(problem?.errors ?? []);
  return {
    title: 'Clinic closures',
    nav: CLOSURES_NAV,
    timeZone: clock.timeZone,
    closures: closures.map(toClosureView),
    formUrl: CLOSURES_PATH,
    values,
    errors,
    formError:
      problem && !Object.keys(errors).some((field) => FIELDS.includes(field)) ? problem.message : undefined,
  };
}

/** One closure: its days, the sessions still booked on them (to move), and its removal. */
export interface ClosurePageView {
  title: string;
  nav: Record<string, boolean>;
  breadcrumbs: Crumb[];
  closure: ClosureView;
  stranded: StrandedListView;
}

export const toClosurePageView = (
  { closure, stranded }: AddedClosure,
  clock: ClinicClock,
): ClosurePageView => ({
  title: closure.name,
  nav: CLOSURES_NAV,
  breadcrumbs: [{ label: 'Clinic closures', url: CLOSURES_PATH }, { label: closure.name }],
  closure: toClosureView(closure),
  stranded: toStrandedListView(stranded, clock),
});
