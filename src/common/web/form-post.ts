import type { ClassConstructor } from 'class-transformer';
import type { FieldError } from '../problems/problem-details.js';
import { validationProblem, type ProblemException } from '../problems/problem.exception.js';
import { validateInput } from '../validation/validate-input.js';
import { inputProblemOf } from './form-view.js';
import { PageView, type Redirect } from './page.js';

/** Why a form is shown again: its input did not validate, or the service refused it. */
export type FormFailure = 'invalid' | 'refused';

/** One form post of a staff page: what to validate, what to do with it, and how to show the form again. */
export interface FormPost<Dto extends object, Model extends object> {
  /** The DTO the API validates the same input with, so a form follows exactly the API's rules. */
  dto: ClassConstructor<Dto>;
  input: Record<string, unknown>;
  /** Errors found before validation (e.g. a local date-time that does not exist), shown with the DTO's. */
  inputErrors?: FieldError[];
  /** The change itself; what it answers is the response (usually a redirect, 303 or `HX-Redirect`). */
  run: (value: Dto) => Promise<PageView<Model> | Redirect>;
  /** The form again, its problem's messages next to their fields; sent with the problem's status. */
  showProblem: (problem: ProblemException, failure: FormFailure) => Model | Promise<Model>;
  /**
   * The problem the user can act on for an error thrown by `run`, `undefined` to rethrow it (by default the
   * API's own 4xx problem; the sessions pages also rewrite its times in the clinic's time zone).
   */
  problemOf?: (error: unknown) => ProblemException | undefined;
}

/**
 * Validate with the DTO, run the change, or show the form again with the problem: invalid input answers 400 with
 * every message; a refusal (a taken e-mail, a conflict, a stale version) answers the problem's own status.
 */
export async function handleFormPost<Dto extends object, Model extends object>(
  post: FormPost<Dto, Model>,
): Promise<PageView<Model> | Redirect> {
  const parsed = await validateInput(post.dto, post.input);
  const errors = [...(post.inputErrors ?? []), ...(parsed.ok ? [] : parsed.errors)];
  if (errors.length > 0 || !parsed.ok) {
    const problem = validationProblem(errors);
    return new PageView(await post.showProblem(problem, 'invalid'), { status: problem.getStatus() });
  }
  try {
    return await post.run(parsed.value);
  } catch (error) {
    const problem = (post.problemOf ?? inputProblemOf)(error);
    if (!problem) throw error;
    return new PageView(await post.showProblem(problem, 'refused'), { status: problem.getStatus() });
  }
}
