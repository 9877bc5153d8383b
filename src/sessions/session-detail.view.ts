import type { WaitlistMatchesView } from '../waitlist/waitlist.view.js';
import type { FieldError } from '../common/problems/problem-details.js';
import type { ProblemException } from '../common/problems/problem.exception.js';
import { errorsByField } from '../common/validation/validate-input.js';
import type { SessionEvent } from './session-event.entity.js';
import type { SessionEditValues } from './session-form.js';
import { toSessionHistoryView, type SessionHistoryEntryView } from './session-history.view.js';
import { messageOf, shownOnAField } from './session-problem.view.js';
import type { SessionWithPeople } from './session.repository.js';
import { toSessionRowView, type SessionRowView, type SessionViewContext } from './session.view.js';

const EDIT_FIELDS = ['date', 'duration_minutes', 'notes'];

/** A session's page: summary, status actions, the edit form (`sessions/_edit_form`) and the history. */
export interface SessionDetailView {
  title: string;
  nav: Record<string, boolean>;
  session: SessionRowView;
  values: SessionEditValues;
  errors: Record<string, string>;
  formError?: string;
  hasErrors: boolean;
  timeZone: string;
  history: SessionHistoryEntryView[];
  /** Why a cancellation from this page was refused. */
  cancelError?: string;
  /** A cancelled session yet to start: who on the waitlist could take its time. */
  matches?: WaitlistMatchesView;
}

/** The detail page; `values` are the edit form's (the stored ones when not given). */
export function toSessionDetailView(
  session: SessionWithPeople,
  history: SessionEvent[],
  context: SessionViewContext,
  form: { values?: SessionEditValues; errors: FieldError[]; problem?: ProblemException } = { errors: [] },
): SessionDetailView {
  const { clock } = context;
  const row = toSessionRowView(session, context, `/sessions/${session.id}`);
  const { problem, errors } = form;
  return {
    title: `Session on ${row.date}`,
    nav: { sessions: true },
    session: row,
    values: form.values ?? {
      date: clock.localInput(session.startsAt),
      duration_minutes: String(session.durationMinutes),
      notes: session.notes ?? '',
    },
    errors: errorsByField(errors),
    formError:
      problem && (problem.problemType === 'precondition-failed' || !shownOnAField(problem, EDIT_FIELDS))
        ? messageOf(problem)
        : undefined,
    hasErrors: errors.length > 0 || Boolean(problem),
    timeZone: clock.timeZone,
    history: toSessionHistoryView(history, clock),
  };
}

/** One list row after a status change: the row itself, or (refused, without htmx) a page saying why. */
export interface StatusResultView extends SessionRowView {
  title?: string;
}

export const toStatusRefusedView = (
  session: SessionWithPeople,
  context: SessionViewContext,
  returnTo: string,
  problem: ProblemException,
): StatusResultView => ({
  ...toSessionRowView(session, context, returnTo, `Not changed: ${messageOf(problem)}`),
  title: 'Status not changed',
});
