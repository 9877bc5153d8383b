import { ProblemException } from '../common/problems/problem.exception.js';
import type { ClinicClock } from '../common/time/clinic-time.js';
import { inputProblemOf } from '../common/web/form-view.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An ISO 8601 instant of a problem's extensions, as written there and as a Date. */
const instantOf = (value: unknown): { text: string; instant: Date } | undefined => {
  if (typeof value !== 'string') return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : { text: value, instant };
};

/** e.g. `Mon, 30 Nov 2026, 10:00–10:50 EST`; both ends in full when they fall on other days or zones. */
export function clinicTimeRange(start: Date, end: Date, clock: ClinicClock): string {
  return clock.date(start) === clock.date(end) && clock.zone(start) === clock.zone(end)
    ? `${clock.date(start)}, ${clock.time(start)}–${clock.time(end)} ${clock.zone(end)}`
    : `${clock.dateTime(start)} – ${clock.dateTime(end)}`;
}

/**
 * A booking problem as the pages show it: the API's messages name instants in ISO 8601 UTC, which staff should
 * not have to convert, so the times the problem's extensions carry (`conflicting_session`, `failing_occurrences`)
 * are written in the clinic's time zone instead. The problem itself (type, status, extensions) is unchanged, and
 * one without such extensions is returned as it is.
 */
export function problemInClinicTime(problem: ProblemException, clock: ClinicClock): ProblemException {
  // The instants as the messages spell them, and how the pages show them; a range before its ends.
  const replacements: [string, string][] = [];
  const conflict = problem.extensions.conflicting_session;
  if (isRecord(conflict)) {
    const start = instantOf(conflict.date);
    const end = instantOf(conflict.ends_at);
    if (start && end) {
      replacements.push([`${start.text}–${end.text}`, clinicTimeRange(start.instant, end.instant, clock)]);
    }
    if (start) replacements.push([start.text, clock.dateTime(start.instant)]);
    if (end) replacements.push([end.text, clock.dateTime(end.instant)]);
  }
  const occurrences = new Map<string, string>();
  const failing = problem.extensions.failing_occurrences;
  for (const occurrence of Array.isArray(failing) ? failing : []) {
    if (!isRecord(occurrence)) continue;
    const { index, reason } = occurrence;
    const start = instantOf(occurrence.date);
    const end = instantOf(occurrence.ends_at);
    if (typeof index !== 'number' || typeof reason !== 'string' || !start || !end) continue;
    occurrences.set(
      `occurrences[${index}]`,
      `${clinicTimeRange(start.instant, end.instant, clock)}: ${reason}`,
    );
  }
  if (replacements.length === 0 && occurrences.size === 0) return problem;

  const rewrite = (text: string): string =>
    replacements.reduce((result, [from, to]) => result.split(from).join(to), text);
  return new ProblemException(problem.problemType, rewrite(problem.message), {
    errors: problem.errors.map((error) => ({
      ...error,
      message: occurrences.get(error.field) ?? rewrite(error.message),
    })),
    extensions: problem.extensions,
    status: problem.getStatus(),
    title: problem.title,
  });
}

export const CHANGED_BY_SOMEONE_ELSE =
  'This session was changed by someone else since you opened it. The current values are shown; check them and try again.';

/** Whether every error of a problem is shown next to a field of the form (else it needs a message of its own). */
export const shownOnAField = (problem: ProblemException, fields: string[]): boolean =>
  problem.errors.length > 0 && problem.errors.every((error) => fields.includes(error.field));

/** A message for a refused change, in the staff's words where the API's would be technical. */
export const messageOf = (problem: ProblemException): string =>
  problem.problemType === 'precondition-failed' ? CHANGED_BY_SOMEONE_ELSE : problem.message;

/** A refusal the user can act on (else `undefined`, to rethrow), with its times in the clinic's time zone. */
export const sessionProblemOf =
  (clock: ClinicClock) =>
  (error: unknown): ProblemException | undefined => {
    const problem = inputProblemOf(error);
    return problem && problemInClinicTime(problem, clock);
  };

/** What a refused booking offers on the form: a link to the session in the way, and free starts to pick. */
export interface ConflictHelpView {
  conflict?: { href: string; label: string };
  /** Each refills the date with `value` (the form's datetime-local format) when chosen. */
  suggestions: { value: string; label: string }[];
}

export function conflictHelpOf(problem: ProblemException | undefined, clock: ClinicClock): ConflictHelpView {
  const conflict = problem?.extensions.conflicting_session;
  const suggestions = problem?.extensions.suggestions;
  const therapist = isRecord(conflict) && isRecord(conflict.therapist) ? conflict.therapist.name : undefined;
  const patient = isRecord(conflict) && isRecord(conflict.patient) ? conflict.patient.name : undefined;
  return {
    conflict:
      isRecord(conflict) && typeof conflict.href === 'string'
        ? {
            href: conflict.href,
            label:
              typeof therapist === 'string' && typeof patient === 'string'
                ? `Open ${therapist}’s session with ${patient}`
                : 'Open the session in the way',
          }
        : undefined,
    suggestions: (Array.isArray(suggestions) ? suggestions : []).flatMap((suggestion) => {
      const start = isRecord(suggestion) ? instantOf(suggestion.date) : undefined;
      return start
        ? [
            {
              value: clock.localInput(start.instant),
              label: `${clock.date(start.instant)}, ${clock.time(start.instant)}`,
            },
          ]
        : [];
    }),
  };
}
