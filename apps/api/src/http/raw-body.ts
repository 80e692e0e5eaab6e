import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Route config flag (`@RouteConfig({ [RAW_BODY]: true })`) for routes whose handler must see the
 * request body exactly as sent.
 */
export const RAW_BODY = 'refundhubRawBody';

/** Private media type that only the raw-body parser answers to. */
const RAW_MEDIA_TYPE = 'application/x-refundhub-raw';

/** A request on a raw-body route: `body` is the exact bytes (empty when none were sent). */
export type RawBodyRequest = FastifyRequest & { body: Buffer | undefined };

/**
 * Gives routes flagged with {@link RAW_BODY} the request body as the exact bytes sent, whatever
 * the Content-Type, and leaves every other route's parsing untouched.
 *
 * Gateway notifications are signed over their bytes and arrive as XML with odd content types,
 * GBK or UTF-8 forms, JSON, or with no content type at all. Re-encoding a parsed body (or even
 * decoding text/plain as UTF-8) can break a valid signature, and a body that fails to parse
 * must still reach the gateway adapter, which owns the answer the gateway expects. Fastify
 * picks a parser by Content-Type only, so an `onRequest` hook points flagged routes at one
 * private media type whose parser keeps the Buffer. The hook sets `request.headers` (Fastify's
 * documented overlay); the original headers stay in `request.raw.headers`, which is what the
 * route must read. JSON and form parsing for the other routes (Nest's own, registered at init,
 * with or without `rawBody: true`) is not touched.
 *
 * Call once on the app's Fastify instance before `app.listen()` / `instance.ready()`.
 */
export function registerRawBodyParsers(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser(RAW_MEDIA_TYPE)) return;

  fastify.addContentTypeParser(RAW_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  fastify.addHook('onRequest', async (request) => {
    const config: object | undefined = request.routeOptions.config;
    if (!config || (config as Record<string, unknown>)[RAW_BODY] !== true) return;
    request.headers = { 'content-type': RAW_MEDIA_TYPE };
  });
}
