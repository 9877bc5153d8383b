import { describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { toProblemDetails, toProblemException } from './problem-details.filter.js';
import { ProblemException } from './problem.exception.js';

describe('toProblemException', () => {
  it('keeps a ProblemException as it is', () => {
    const problem = new ProblemException('conflict', 'Taken');
    expect(toProblemException(problem)).toBe(problem);
  });

  it('maps Nest HTTP exceptions by status', () => {
    const notFound = toProblemException(new NotFoundException('Cannot GET /x'));
    expect(toProblemDetails(notFound, '/x')).toEqual({
      type: '/problems/not-found',
      title: 'Resource not found',
      status: 404,
      detail: 'Cannot GET /x',
      instance: '/x',
      errors: [],
    });
    expect(toProblemException(new BadRequestException('nope')).getStatus()).toBe(400);
  });

  it('maps body-parser errors', () => {
    const parse = Object.assign(new Error('Unexpected token'), { status: 400, type: 'entity.parse.failed' });
    const large = Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large' });
    expect(toProblemException(parse).problemType).toBe('malformed-json');
    const scalar = Object.assign(new Error('not an object'), {
      status: 400,
      type: 'entity.parse.failed',
      body: '"text"',
    });
    expect(toProblemException(scalar).errors).toEqual([
      { field: 'body', message: 'the body must be a JSON object' },
    ]);
    expect(toProblemException(large).problemType).toBe('payload-too-large');
  });

  it('maps a known constraint violation to a 409 naming the field', () => {
    const violation = Object.assign(new UniqueConstraintViolationException(new Error('duplicate key')), {
      constraint: 'therapist_email_unique',
    });
    const problem = toProblemException(violation);
    expect(problem.getStatus()).toBe(409);
    expect(problem.errors.map((error) => error.field)).toEqual(['email']);
  });

  it('hides the details of anything else behind a generic 500', () => {
    const problem = toProblemException(new Error('select * from secret where password = 1'));
    expect(toProblemDetails(problem)).toEqual({
      type: '/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred. It has been logged.',
      errors: [],
    });
  });
});
