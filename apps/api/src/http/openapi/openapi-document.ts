import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI is served here, and the document as JSON at `/docs-json`; neither takes an API key. */
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/** The name of the bearer scheme the protected routes name (`@ApiBearerAuth(API_KEY_SECURITY)`). */
export const API_KEY_SECURITY = 'apiKey';

const DESCRIPTION = [
  'Refunds of paid orders on Leshua, ChaoYing, UMF and Baofoo, through one API.',
  '',
  'Amounts are integer fen (1 yuan = 100 fen). A refund whose outcome is not known yet is `UNKNOWN`, never `FAILED`;',
  '`SUCCEEDED` and `FAILED` are final. Every route but `/notify/*` and `/health*` takes `Authorization: Bearer <key>`.',
  'Every error body has `statusCode`, `error`, a stable `code` and a `message`; bad input is one 400 listing every',
  'problem by field.',
].join('\n');

/** The API's own version: apps/api/package.json, two folders up from src/ or dist/ alike. */
function apiVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** A handler on several paths gets `Name_method[0]`, `[1]`...: named after its paths instead, for client generators. */
const INDEXED_OPERATION_ID = /\[\d+\]$/;

function operationIdForPath(operationId: string, path: string): string {
  if (!INDEXED_OPERATION_ID.test(operationId)) return operationId;
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const suffix = words.map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
  return `${operationId.replace(INDEXED_OPERATION_ID, '')}_${suffix}`;
}

function sortedKeys<T>(record: Record<string, T>, compare?: (a: string, b: string) => number): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (compare ? compare(a, b) : a < b ? -1 : 1)));
}

/**
 * The same document whatever order the modules and decorators were read in: paths, component
 * schemas and each operation's responses sorted. Schema properties keep their declared order, which
 * is the order the API writes them in.
 */
function stable(document: OpenAPIObject): OpenAPIObject {
  const paths = sortedKeys(document.paths);
  for (const [path, item] of Object.entries(paths)) {
    for (const operation of Object.values(item) as { operationId?: string; responses?: Record<string, unknown> }[]) {
      if (operation.responses) operation.responses = sortedKeys(operation.responses);
      if (operation.operationId) operation.operationId = operationIdForPath(operation.operationId, path);
    }
  }
  const schemas = document.components?.schemas;
  return {
    ...document,
    paths,
    components: { ...document.components, ...(schemas ? { schemas: sortedKeys(schemas) } : {}) },
  };
}

/**
 * The OpenAPI document of the app's routes, read from their controllers' decorators and the schema
 * classes beside this file. Served at /docs-json and written to docs/openapi.json by `npm run openapi`;
 * a new route needs only its decorators.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('refundhub API')
    .setDescription(DESCRIPTION)
    .setVersion(apiVersion())
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description: 'An API key of `api.keys` in the operator configuration: `Authorization: Bearer <key>`.',
      },
      API_KEY_SECURITY,
    )
    .addTag('refunds', 'Request, read, list, sync and settle refunds')
    .addTag('webhooks', "The signed webhooks sent to a refund's `notifyUrl`")
    .addTag('notifications', 'Callbacks from the gateways')
    .addTag('health', 'Liveness and readiness, for load balancers and orchestrators')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return stable(document);
}

/** The document as the committed file holds it: two-space JSON and a final newline. */
export function renderOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Serves Swagger UI at `/docs` and the document at `/docs-json`. They are Fastify routes, not Nest
 * controllers: the API key guard never sees them, so anyone may read the API's description.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'refundhub API',
  });
}
