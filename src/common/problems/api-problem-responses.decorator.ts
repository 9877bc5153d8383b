import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  problemTypeUri,
  type FieldError,
  type ProblemType,
} from './problem-details.js';
import { ProblemDetailsDto } from './problem-details.dto.js';

export interface ProblemExample {
  type: ProblemType;
  description: string;
  detail: string;
  errors?: FieldError[];
  status?: number;
  extensions?: Record<string, unknown>;
}

/** Documents error responses in the problem+json shape, with a worked example each. */
export function ApiProblems(...examples: ProblemExample[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ProblemExample[]>();
  for (const example of examples) {
    const status = example.status ?? PROBLEM_TYPES[example.type].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), example]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: list.map((example) => example.description).join(' / '),
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDetailsDto) },
            examples: Object.fromEntries(
              list.map((example, index) => [
                `${example.type}${index > 0 ? `-${index}` : ''}`,
                {
                  summary: example.description,
                  value: {
                    type: problemTypeUri(example.type),
                    title: PROBLEM_TYPES[example.type].title,
                    status,
                    detail: example.detail,
                    errors: example.errors ?? [],
                    ...example.extensions,
                  },
                },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

/** Problems any endpoint under /api can answer with. */
export const COMMON_PROBLEMS = {
  invalidQuery: (field: string, message: string): ProblemExample => ({
    type: 'validation-error',
    description: 'A query parameter is unknown or malformed',
    detail: message,
    errors: [{ field, message }],
  }),
  invalidBody: (errors: FieldError[]): ProblemExample => ({
    type: 'validation-error',
    description: 'The body is invalid: every bad field is listed',
    detail: errors.map((error) => error.message).join('; '),
    errors,
  }),
  malformedJson: {
    type: 'malformed-json',
    description: 'The body is not valid JSON',
    detail: 'The request body could not be parsed as JSON.',
  },
  tooLarge: {
    type: 'payload-too-large',
    description: 'The body is larger than 100 kB',
    detail: 'The request body exceeds the limit of 100 kB.',
  },
  unsupportedMediaType: {
    type: 'unsupported-media-type',
    description: 'The body is not JSON',
    detail: 'Send the body as application/json.',
  },
  notFound: (what: string): ProblemExample => ({
    type: 'not-found',
    description: `The ${what} does not exist`,
    detail: `${what[0]?.toUpperCase()}${what.slice(1)} 42 does not exist.`,
  }),
  keyInUse: {
    type: 'idempotency-key-in-use',
    description: 'A request with the same Idempotency-Key is still running',
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
  },
  invalidId: {
    type: 'validation-error',
    description: 'The id in the path is not a positive integer',
    detail: 'id must be a positive integer id',
    errors: [{ field: 'id', message: 'id must be a positive integer id' }],
  },
} satisfies Record<string, ProblemExample | ((...args: never[]) => ProblemExample)>;
