#!/usr/bin/env node
/**
 * Writes the API's OpenAPI document to docs/openapi.json, as the code describes it now: no database
 * server and no network needed (the app is built on SQLite in a temporary folder, and nothing listens).
 * Run it after changing a route or its decorators; test/openapi.e2e-spec.ts fails while the file is stale.
 * Usage: npm run openapi
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
// The TypeScript sources are compiled as they load, with the packages mapped to their sources.
process.env.SWC_NODE_PROJECT = path.join(__dirname, 'openapi.tsconfig.json');
require('@swc-node/register');
require('reflect-metadata');

const { createOfflineApiApp } = require('../apps/api/src/http/openapi/openapi-app.ts');
const { buildOpenApiDocument, renderOpenApiDocument } = require('../apps/api/src/http/openapi/openapi-document.ts');

async function main() {
  const { app, close } = await createOfflineApiApp();
  let text;
  try {
    text = renderOpenApiDocument(buildOpenApiDocument(app));
  } finally {
    await close();
  }
  const file = path.join(root, 'docs', 'openapi.json');
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(JSON.parse(text).paths).length} paths)`);
}

main().catch((error) => {
  console.error(`npm run openapi failed: ${error && error.stack ? error.stack : String(error)}`);
  process.exit(1);
});
