import 'reflect-metadata';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { convertV2 } from 'openapi-to-postmanv2';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../src/app.module.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { createOpenApiDocument } from '../src/openapi/openapi.js';

export const DOCS_DIR = path.resolve(import.meta.dirname, '..', 'docs');
export const OPENAPI_FILE = path.join(DOCS_DIR, 'openapi.json');
export const POSTMAN_FILE = path.join(DOCS_DIR, 'postman-collection.json');

export interface ApiDocs {
  openapi: string;
  postman: string;
}

/** The OpenAPI document as the running app serves it; ORM connections are lazy, so no database is needed. */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config: loadAppConfig({}), databaseUrl: 'postgres://docs@127.0.0.1:1/docs' }),
    { logger: false, abortOnError: false },
  );
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

function toPostmanCollection(document: OpenAPIObject): Promise<unknown> {
  return new Promise((resolve, reject) => {
    convertV2(
      { type: 'json', data: document },
      { folderStrategy: 'Tags', parametersResolution: 'Example', enableOptionalParameters: false },
      (error, result) => {
        const collection = result?.output?.[0]?.data;
        if (error || !result?.result || collection === undefined) {
          reject(error instanceof Error ? error : new Error(result?.reason ?? 'Postman conversion failed'));
        } else {
          resolve(collection);
        }
      },
    );
  });
}

/** The converter gives every item a random UUID; Postman assigns its own on import, so drop them for a stable file. */
function withoutRandomIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRandomIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'id' && key !== '_postman_id')
      .map(([key, child]) => [key, withoutRandomIds(child)]),
  );
}

const toFileText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function generateApiDocs(): Promise<ApiDocs> {
  const document = await buildOpenApiDocument();
  return {
    openapi: toFileText(document),
    postman: toFileText(withoutRandomIds(await toPostmanCollection(document))),
  };
}

export async function readCommittedApiDocs(): Promise<ApiDocs> {
  const [openapi, postman] = await Promise.all([
    readFile(OPENAPI_FILE, 'utf8'),
    readFile(POSTMAN_FILE, 'utf8'),
  ]);
  return { openapi, postman };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const docs = await generateApiDocs();
  await mkdir(DOCS_DIR, { recursive: true });
  await writeFile(OPENAPI_FILE, docs.openapi);
  await writeFile(POSTMAN_FILE, docs.postman);
  console.log(
    `Wrote ${path.relative(process.cwd(), OPENAPI_FILE)} and ${path.relative(process.cwd(), POSTMAN_FILE)}`,
  );
}
