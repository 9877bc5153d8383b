import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { databaseUnavailableProblem } from '../common/problems/database-problems.js';
import { PROBLEM_TYPES, problemTypeUri } from '../common/problems/problem-details.js';
import { RATE_LIMIT_HEADERS, RETRY_AFTER_HEADER } from './api-headers.js';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const API_DOCS_PATH = 'api/docs';

const DESCRIPTION = `
Schedule, find and update therapy sessions between therapists and patients.

All bodies are JSON with snake_case field names; all times are ISO 8601 and returned in UTC.
Lists are paginated (\`page\`, \`page_size\` ≤ 100) and return \`{ data, meta: { page, page_size, total } }\`.
An unknown or malformed query parameter or body field is rejected, never ignored.

Every error is an RFC 9457 \`application/problem+json\` document:
\`{ type, title, status, detail, errors: [{ field, message }] }\`.

Every operation needs an API token, sent as \`Authorization: Bearer tsm_…\` (in Swagger UI: "Authorize"); an
admin creates tokens for a user, and a token acts with its user's role. A request with a token needs no CSRF
token. Each token may make API_REQUESTS_PER_MINUTE requests a minute (600 unless configured): the \`RateLimit-*\`
headers say how many remain, and one more is refused with 429 and \`Retry-After\`.
`.trim();

type ResponseObject = Extract<
  NonNullable<OpenAPIObject['paths'][string]['get']>['responses'][string],
  { description: string }
>;

/** The name of the bearer scheme in `components.securitySchemes`. */
export const BEARER_SCHEME = 'bearer';

const problemResponse = (
  type: 'unauthorized' | 'too-many-requests',
  description: string,
  detail: string,
  headers: ResponseObject['headers'],
): ResponseObject => ({
  description,
  headers,
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
      example: {
        type: problemTypeUri(type),
        title: PROBLEM_TYPES[type].title,
        status: PROBLEM_TYPES[type].status,
        detail,
        errors: [],
      },
    },
  },
});

const UNAUTHORIZED_RESPONSE = problemResponse(
  'unauthorized',
  'No API token, or one that is unknown, expired or revoked (or whose user is disabled): ' +
    '`/problems/unauthorized`, with `WWW-Authenticate: Bearer`.',
  'The bearer token is not valid: it is unknown, expired or revoked.',
  {
    'WWW-Authenticate': {
      description: 'The scheme to authenticate with.',
      schema: { type: 'string', example: 'Bearer' },
    },
  },
);

const TOO_MANY_REQUESTS_RESPONSE = problemResponse(
  'too-many-requests',
  'The token has used up its requests for this minute (API_REQUESTS_PER_MINUTE): ' +
    '`/problems/too-many-requests`; retry after the seconds in `Retry-After`.',
  'This API token has made more than 600 requests within a minute. Retry in 17 seconds.',
  {
    'Retry-After': {
      description: 'Seconds until the token’s requests are counted afresh.',
      schema: { type: 'string', example: '17' },
    },
    ...RATE_LIMIT_HEADERS,
  },
);

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
    .addTag('Waitlist', 'Patients waiting for a slot, the slots they could take, and booking them')
    .addTag('Health', 'Liveness and readiness probes for the orchestrator (outside /api, no authentication)')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque (tsm_…)',
        description: 'An API token, created by an admin for a user; it acts with that user’s role.',
      },
      BEARER_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
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
      'buffers: id, href, date, ends_at, therapist, patient), `suggestions` (refused bookings and moves: up to 3 ' +
      'free starts `{ date, ends_at }`), `current_status` and `allowed_statuses` (status changes), `current_version` (412), ' +
      '`failing_occurrences` (series).';
  }
  // Any operation can meet a server fault, and any under /api a database outage; same shape, without details.
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (operation && path.startsWith('/api/')) {
        // Every API operation needs a token (the document's security requirement) and counts against its limit;
        // 403 is declared by the routes whose roles leave someone out (see `Roles`).
        operation.responses['401'] ??= UNAUTHORIZED_RESPONSE;
        operation.responses['429'] ??= TOO_MANY_REQUESTS_RESPONSE;
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
  // Outside /api the document has only the health probes, which are public: they opt out of the bearer scheme.
  for (const [path, pathItem] of Object.entries(document.paths)) {
    if (path.startsWith('/api/')) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (operation) operation.security = [];
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
