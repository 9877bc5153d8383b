import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { databaseUnavailableProblem } from '../common/problems/database-problems.js';
import { PROBLEM_TYPES, problemTypeUri } from '../common/problems/problem-details.js';
import { RETRY_AFTER_HEADER } from './api-headers.js';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const API_DOCS_PATH = 'api/docs';

const DESCRIPTION = `
Schedule, find and update therapy sessions between therapists and patients.

All bodies are JSON with snake_case field names; all times are ISO 8601 and returned in UTC.
Lists are paginated (\`page\`, \`page_size\` ≤ 100) and return \`{ data, meta: { page, page_size, total } }\`.
An unknown or malformed query parameter or body field is rejected, never ignored.

Every error is an RFC 9457 \`application/problem+json\` document:
\`{ type, title, status, detail, errors: [{ field, message }] }\`.
`.trim();

/** The OpenAPI document, built from the controllers' decorators (served at /api/openapi.json, committed under docs/). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Therapy Sessions API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addServer('/', 'This server')
    .addTag('Sessions', 'Therapy sessions between a therapist and a patient')
    .addTag('Therapists', 'The practice’s therapists')
    .addTag('Patients', 'The practice’s patients')
    .addTag('Health', 'Liveness and readiness probes for the orchestrator (outside /api, no authentication)')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/ApiController$/, '')}_${methodKey}`,
  });
  // RFC 9457 problems may carry extension members (e.g. `conflicting_session`), which each example shows.
  const problemSchema = document.components?.schemas?.ProblemDetailsDto;
  if (problemSchema && !('$ref' in problemSchema)) {
    problemSchema.additionalProperties = true;
    problemSchema.description =
      'RFC 9457 problem details. Some problems add extension members: `conflicting_session` (overlaps, ' +
      'buffers), `current_status` and `allowed_statuses` (status changes), `current_version` (412), ' +
      '`failing_occurrences` (series).';
  }
  // Any operation can meet a server fault, and any under /api a database outage; same shape, without details.
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (operation && path.startsWith('/api/')) {
        operation.responses['503'] ??= {
          description:
            'PostgreSQL is unavailable (unreachable, restarting, or not answering in time): ' +
            '`/problems/service-unavailable`; retry after the seconds in `Retry-After`.',
          headers: RETRY_AFTER_HEADER,
          content: {
            'application/problem+json': {
              schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
              example: {
                type: problemTypeUri('service-unavailable'),
                title: PROBLEM_TYPES['service-unavailable'].title,
                status: 503,
                detail: databaseUnavailableProblem().message,
                errors: [],
              },
            },
          },
        };
      }
      if (operation) {
        operation.responses['500'] ??= {
          description:
            'A server fault: a generic problem, never a stack trace or SQL (the details are logged).',
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } },
          },
        };
      }
    }
  }
  // No accounts exist yet, so no operation requires credentials: say so per operation rather than leave it unstated.
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (operation) operation.security ??= [];
    }
  }
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'Therapy Sessions API',
  });
}
