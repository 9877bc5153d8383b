import { describe, expect, it } from '@jest/globals';
import { IsInt, Min } from 'class-validator';
import { conflictProblem, notFoundProblem, type ProblemException } from '../problems/problem.exception.js';
import { ToInteger } from '../validation/transforms.js';
import { handleFormPost, type FormFailure } from './form-post.js';
import { PageView, Redirect, redirectTo } from './page.js';

class CountDto {
  @ToInteger()
  @IsInt()
  @Min(1)
  count!: number;
}

interface Shown {
  failure: FormFailure;
  fields: string[];
  type: string;
}

const show = (problem: ProblemException, failure: FormFailure): Shown => ({
  failure,
  fields: problem.errors.map((error) => error.field),
  type: problem.problemType,
});

describe('handleFormPost', () => {
  it('runs the change with the validated DTO and answers what it answers', async () => {
    const seen: number[] = [];
    const result = await handleFormPost({
      dto: CountDto,
      input: { count: '3' },
      run: (value) => {
        seen.push(value.count);
        return Promise.resolve(redirectTo('/done'));
      },
      showProblem: show,
    });
    expect(seen).toEqual([3]);
    expect(result).toEqual(new Redirect('/done'));
  });

  it('shows invalid input with 400, its errors after those found before validation, and runs nothing', async () => {
    let ran = false;
    const result = await handleFormPost({
      dto: CountDto,
      input: { count: '0' },
      inputErrors: [{ field: 'date', message: 'Enter a date and time' }],
      run: () => {
        ran = true;
        return Promise.resolve(redirectTo('/done'));
      },
      showProblem: show,
    });
    expect(ran).toBe(false);
    expect(result).toEqual(
      new PageView(
        { failure: 'invalid', fields: ['date', 'count'], type: 'validation-error' },
        { status: 400 },
      ),
    );
  });

  it('shows errors found before validation even when the DTO accepts the rest', async () => {
    const result = await handleFormPost({
      dto: CountDto,
      input: { count: '2' },
      inputErrors: [{ field: 'date', message: 'Enter a date and time' }],
      run: () => Promise.resolve(redirectTo('/done')),
      showProblem: show,
    });
    expect(result).toEqual(
      new PageView({ failure: 'invalid', fields: ['date'], type: 'validation-error' }, { status: 400 }),
    );
  });

  it("shows a refusal the user can act on with the problem's own status", async () => {
    const result = await handleFormPost({
      dto: CountDto,
      input: { count: '2' },
      run: () => Promise.reject(conflictProblem('Taken.')),
      showProblem: show,
    });
    expect(result).toEqual(
      new PageView({ failure: 'refused', fields: [], type: 'conflict' }, { status: 409 }),
    );
  });

  it('rethrows what is not a problem of the input: a 404, or any other error', async () => {
    const missing = notFoundProblem('Nobody.');
    const post = (error: Error) =>
      handleFormPost({
        dto: CountDto,
        input: { count: '2' },
        run: () => Promise.reject(error),
        showProblem: show,
      });
    await expect(post(missing)).rejects.toBe(missing);
    const fault = new Error('database down');
    await expect(post(fault)).rejects.toBe(fault);
  });

  it('lets the caller decide which errors are problems to show', async () => {
    const result = await handleFormPost({
      dto: CountDto,
      input: { count: '2' },
      run: () => Promise.reject(new Error('stale')),
      showProblem: show,
      problemOf: () => conflictProblem('Changed by someone else.'),
    });
    expect(result).toBeInstanceOf(PageView);
    expect((result as PageView).options.status).toBe(409);
  });
});
