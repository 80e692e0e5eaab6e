import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the console is served; the Vite build's `base` is the same path with a trailing slash. */
export const CONSOLE_PATH = '/console';
export const CONSOLE_BUILD_COMMAND = 'npm run build -w apps/console';

/**
 * The console's Content-Security-Policy. Scripts only from this origin, none inline. Styles allow
 * 'unsafe-inline' because antd writes its CSS-in-JS into <style> elements at run time; a style
 * cannot run code, and a nonce would mean templating index.html on every request for no script gain.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface ConsoleRoutesOptions {
  /** The built console (apps/console/dist), or null when it was not found. */
  dist: string | null;
  /** Only in the demo: the key the sign-in form is filled with, at `/console/demo.json`. */
  demoApiKey?: string;
}

/**
 * The console's build folder: apps/console/dist in this checkout, found from this file whether it
 * runs from apps/api/src (tests) or apps/api/dist (npm start). Null when there is no build.
 */
export function findConsoleDist(from: string = __dirname): string | null {
  let folder = from;
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(folder, 'apps', 'console', 'dist');
    if (existsSync(join(folder, 'apps', 'console', 'package.json'))) {
      return existsSync(join(candidate, 'index.html')) ? candidate : null;
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return null;
}

/**
 * Serves the console's static files under `/console`: hashed assets cached for a year, index.html
 * never stored and answered for every client route (the page routes itself), each with the
 * console's security headers. Plain Fastify routes, outside Nest: they need no API key (the page
 * holds no data until it signs in) and are not counted against the API's rate limits.
 * Without a build, `/console` answers 503 with the command that builds it.
 */
export function registerConsoleRoutes(fastify: FastifyInstance, options: ConsoleRoutesOptions): void {
  // Loaded with the app's other plugins when it starts (errors surface there), like every route.
  void fastify.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    });

    const { dist } = options;
    if (!dist) {
      const notBuilt = (_request: unknown, reply: FastifyReply) =>
        reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send(`The operations console is not built. Run: ${CONSOLE_BUILD_COMMAND}\n`);
      scope.get(CONSOLE_PATH, notBuilt);
      scope.get(`${CONSOLE_PATH}/*`, notBuilt);
      return;
    }

    await scope.register(fastifyStatic, {
      root: join(dist, 'assets'),
      prefix: `${CONSOLE_PATH}/assets/`,
      decorateReply: false,
      index: false,
      // File names carry a hash of their content: a changed file is a new name.
      immutable: true,
      maxAge: '365d',
    });

    // Never a key outside the demo: there the page finds nothing and the form starts empty.
    const demo = options.demoApiKey ? JSON.stringify({ apiKey: options.demoApiKey }) : null;
    scope.get(`${CONSOLE_PATH}/demo.json`, (_request, reply) =>
      reply
        .code(demo ? 200 : 404)
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(demo ?? '{}'),
    );

    const index = readFileSync(join(dist, 'index.html'));
    const sendIndex = (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(index);
    scope.get(CONSOLE_PATH, sendIndex);
    scope.get(`${CONSOLE_PATH}/*`, sendIndex);
  });
}
