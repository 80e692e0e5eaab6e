import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { OpenAPIObject } from '@nestjs/swagger';
import type { RefundView, WebhookDeliveryView } from '@refundhub/core';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import {
  API_ERRORS,
  OPENAPI_UI_PATH,
  REFUND_EXAMPLE,
  WEBHOOK_DELIVERY_EXAMPLE,
  buildOpenApiDocument,
  renderOpenApiDocument,
} from '../apps/api/src/http/openapi';
import { createOfflineApiApp } from '../apps/api/src/http/openapi/openapi-app';
import { CONSOLE_PATH } from '../apps/api/src/console/console-routes';
import {
  ApiHarness,
  HttpAnswer,
  KEYS,
  MERCHANT,
  ORDER,
  OTHER_MERCHANT,
  refundBody,
  startApi,
} from './support/api-harness';
import { describeWithDialect } from './support/databases';
import { WebhookReceiver } from './support/webhook-receiver';

const ROOT = join(__dirname, '..');
const COMMITTED = join(ROOT, 'docs', 'openapi.json');
const VALIDATOR_CLI = join(
  ROOT,
  'node_modules',
  '@seriousme',
  'openapi-schema-validator',
  'bin',
  'validate-api-cli.js',
);
const UMF_MERCHANT = '30000101';
const { privateKey: UMF_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const SECRET = `whsec_${Buffer.from('refundhub e2e openapi webhook secret').toString('base64')}`;

type JsonSchema = Record<string, unknown>;
type Method = 'get' | 'post';
type OperationWithBodies = { responses: Record<string, JsonSchema>; requestBody?: JsonSchema };

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv, made strict: `nullable` becomes "or null", and an
 * object that lists its properties has no others, so an undocumented field in an answer fails.
 */
function strictJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const converted: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    // Property names are data, not keywords: a property may be called `example`.
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as JsonSchema).map(([name, s]) => [name, strictJsonSchema(s)]))
        : strictJsonSchema(value);
  }
  if (converted['properties'] && converted['additionalProperties'] === undefined) {
    converted['additionalProperties'] = false;
  }
  return (schema as JsonSchema)['nullable'] === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

describe('the OpenAPI document', () => {
  let generated: OpenAPIObject;
  /** Every route Fastify was given once the app started, as `METHOD /path/{param}`. */
  const registered: string[] = [];

  beforeAll(async () => {
    const offline = await createOfflineApiApp();
    try {
      offline.app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRoute', (route) => {
          const methods = Array.isArray(route.method) ? route.method : [route.method];
          const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
          // Swagger UI's own files are not part of the API it describes, nor are the console's
          // (static files for a browser, served outside Nest when console.enabled is true).
          if (path.startsWith(`/${OPENAPI_UI_PATH}/`) || path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`)) {
            return;
          }
          for (const method of methods) if (method !== 'HEAD') registered.push(`${method} ${path}`);
        });
      await offline.app.init();
      generated = buildOpenApiDocument(offline.app);
    } finally {
      await offline.close();
    }
  });

  it('is the committed docs/openapi.json', () => {
    const committed = readFileSync(COMMITTED, 'utf8');
    if (committed !== renderOpenApiDocument(generated)) {
      throw new Error('docs/openapi.json is not what the code describes: run npm run openapi, and commit the file');
    }
  });

  it('is a valid OpenAPI 3 document', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [VALIDATOR_CLI, COMMITTED]);
    expect(JSON.parse(stdout)).toEqual({ valid: true });
  });

  it('documents every route the app registers, and no other', () => {
    const documented = Object.entries(generated.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(registered.length).toBeGreaterThan(0);
    expect([...registered].sort()).toEqual([...documented].sort());
  });

  it('gives every operation a summary, tags and responses; keys on all but notify and health', () => {
    for (const [path, item] of Object.entries(generated.paths)) {
      for (const [method, operation] of Object.entries(item) as [string, Record<string, unknown>][]) {
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, typeof operation['summary']]).toEqual([where, 'string']);
        expect([where, (operation['tags'] as string[] | undefined)?.length]).toEqual([where, 1]);
        const open = path.startsWith('/notify/') || path.startsWith('/health');
        expect([where, operation['security']]).toEqual([where, open ? undefined : [{ apiKey: [] }]]);
        if (!open)
          expect(Object.keys(operation['responses'] as object).map((status) => `${where} ${status}`)).toContain(
            `${where} 401`,
          );
      }
    }
  });

  it('has request and answer examples that match their own schemas', () => {
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const components = strictJsonSchema(generated.components);
    const bodies: [string, JsonSchema | undefined][] = [];
    for (const [path, item] of Object.entries(generated.paths)) {
      for (const [method, operation] of Object.entries(item) as [string, OperationWithBodies][]) {
        const json = (body: JsonSchema) =>
          (body['content'] as Record<string, JsonSchema> | undefined)?.['application/json'];
        if (operation.requestBody) bodies.push([`${method} ${path} body`, json(operation.requestBody)]);
        for (const [status, answer] of Object.entries(operation.responses)) {
          bodies.push([`${method} ${path} ${status}`, json(answer)]);
        }
      }
    }
    let checked = 0;
    for (const [where, media] of bodies) {
      if (!media) continue;
      const validate = ajv.compile({ components, allOf: [strictJsonSchema(media['schema'])] });
      const examples = [
        ...(media['example'] === undefined ? [] : [media['example']]),
        ...Object.values((media['examples'] ?? {}) as Record<string, { value: unknown }>).map((e) => e.value),
      ];
      for (const example of examples) {
        checked++;
        expect([where, validate(example) ? null : validate.errors]).toEqual([where, null]);
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('is checked strictly: an undocumented field, a missing one or a wrong type fails', () => {
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const validate = ajv.compile({
      components: strictJsonSchema(generated.components),
      allOf: [{ $ref: '#/components/schemas/Refund' }],
    });
    const { finishedAt: _left, ...missing } = REFUND_EXAMPLE;
    expect(validate(REFUND_EXAMPLE)).toBe(true);
    expect(validate({ ...REFUND_EXAMPLE, secret: 'x' })).toBe(false);
    expect(validate(missing)).toBe(false);
    expect(validate({ ...REFUND_EXAMPLE, amount: 1.5 })).toBe(false);
    expect(validate({ ...REFUND_EXAMPLE, status: 'PENDING' })).toBe(false);
    expect(validate({ ...REFUND_EXAMPLE, failure: { code: 'TIMEOUT' } })).toBe(false);
  });
});

describeWithDialect('sqlite', 'the running API and its OpenAPI document', () => {
  let h: ApiHarness;
  let receiver: WebhookReceiver;
  let document: OpenAPIObject;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const validators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    h = await startApi('sqlite', {
      chaoying: {},
      gateways: {
        umf: { baseUrl: 'sandbox', merchants: { [UMF_MERCHANT]: { proxyId: '0025', privateKey: UMF_KEY } } },
      },
      webhooks: { secret: SECRET, allowPrivateTargets: true },
    });
    document = JSON.parse(readFileSync(COMMITTED, 'utf8')) as OpenAPIObject;
  });

  afterAll(async () => {
    try {
      await h?.close();
    } finally {
      await receiver?.close();
    }
  });

  /** The documented JSON schema of this route's answer with this status; fails when there is none. */
  function validatorOf(method: Method, path: string, status: number): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    const known = validators.get(key);
    if (known) return known;
    const operation = document.paths[path]?.[method];
    const response = operation?.responses?.[String(status)] as { content?: Record<string, JsonSchema> } | undefined;
    const schema = response?.content?.['application/json']?.['schema'];
    if (!schema) throw new Error(`${key}: no documented JSON answer`);
    const validate = ajv.compile({
      components: strictJsonSchema(document.components),
      allOf: [strictJsonSchema(schema)],
    });
    validators.set(key, validate);
    return validate;
  }

  /** The live answer has a documented status for its route, and its body matches that status's schema. */
  function expectDocumented(method: Method, path: string, answer: HttpAnswer<unknown>): void {
    const validate = validatorOf(method, path, answer.status);
    expect([`${method} ${path} ${answer.status}`, validate(answer.body) ? null : validate.errors]).toEqual([
      `${method} ${path} ${answer.status}`,
      null,
    ]);
  }

  /** A documented example with the ids of this run in place of the example's. */
  function exampleWith(name: keyof typeof API_ERRORS, ids: Record<string, string> = {}): unknown {
    let text = JSON.stringify(API_ERRORS[name].example);
    for (const [from, to] of Object.entries(ids)) text = text.split(from).join(to);
    return JSON.parse(text);
  }

  it('serves Swagger UI at /docs and the document at /docs-json, without an API key', async () => {
    const ui = await fetch(`${h.url}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
    const html = await ui.text();
    // The page's scripts and styles are served the same way, without a key.
    const assets = [...html.matchAll(/(?:src|href)=["'](\.\/[^"']+)["']/g)].map(
      ([, url]) => new URL(url, `${h.url}/docs`).href,
    );
    expect(assets.length).toBeGreaterThanOrEqual(3);
    // Each read to the end: a body left unread (the Swagger UI bundle is 1.5 MB) holds its connection
    // open until the client's response is garbage-collected, and the API's close waits for it.
    for (const asset of assets) {
      const served = await fetch(asset);
      const size = (await served.arrayBuffer()).byteLength;
      expect([asset, served.status, size > 0]).toEqual([asset, 200, true]);
    }

    const json = await fetch(`${h.url}/docs-json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(await json.json()).toEqual(document);

    const wrongKey = await fetch(`${h.url}/docs-json`, { headers: { authorization: 'Bearer wrong' } });
    expect(wrongKey.status).toBe(200);
    expect(await wrongKey.json()).toEqual(document);
  });

  it('answers refunds as documented: create, replay, get, list, history, exchanges, sync, overview', async () => {
    const created = await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI1' }));
    expect(created.status).toBe(201);
    expectDocumented('post', '/refunds', created);
    const id = created.body.id;

    const replayed = await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI1' }));
    expect(replayed.status).toBe(200);
    expectDocumented('post', '/refunds', replayed);

    expectDocumented('get', '/refunds/{id}', await h.call('GET', `/refunds/${id}`));
    const listed = await h.call<{ items: RefundView[] }>(
      'GET',
      `/refunds?merchantId=${MERCHANT}&status=${created.body.status}&limit=1`,
    );
    expect(listed.body.items.length).toBe(1);
    expectDocumented('get', '/refunds', listed);

    const synced = await h.call<RefundView>('POST', `/refunds/${id}/sync`);
    expect(synced.status).toBe(200);
    expectDocumented('post', '/refunds/{id}/sync', synced);
    const history = await h.call('GET', `/refunds/${id}/history?limit=2`);
    expectDocumented('get', '/refunds/{id}/history', history);
    const exchanges = await h.call<{ items: unknown[] }>('GET', `/refunds/${id}/exchanges`);
    expect(exchanges.body.items.length).toBeGreaterThanOrEqual(2);
    expectDocumented('get', '/refunds/{id}/exchanges', exchanges);
    const overview = await h.call('GET', '/overview');
    expect(overview.body).toMatchObject({ gateways: [{ gateway: 'leshua' }] });
    expectDocumented('get', '/overview', overview);
  });

  it('answers webhooks and a retry as documented', async () => {
    receiver.answer(500);
    const created = await h.call<RefundView>(
      'POST',
      '/refunds',
      refundBody({ refundNo: 'ROPENAPI2', amount: 50, notifyUrl: receiver.url }),
    );
    const id = created.body.id;
    expect((await h.call<RefundView>('POST', `/refunds/${id}/sync`)).body.status).toBe('SUCCEEDED');
    await h.webhooksSettled();

    const listed = await h.call<{ items: WebhookDeliveryView[] }>('GET', `/refunds/${id}/webhooks`);
    expectDocumented('get', '/refunds/{id}/webhooks', listed);
    const [delivery] = listed.body.items;
    expect(delivery).toMatchObject({ status: 'pending', attempts: [{ httpStatus: 500 }] });

    const retried = await h.call('POST', `/refunds/${id}/webhooks/${delivery.id}/retry`);
    expect(retried.status).toBe(202);
    expectDocumented('post', '/refunds/{id}/webhooks/{deliveryId}/retry', retried);
    await h.webhooksSettled();

    const none = await h.call('POST', `/refunds/${id}/webhooks/${WEBHOOK_DELIVERY_EXAMPLE.id}/retry`);
    expectDocumented('post', '/refunds/{id}/webhooks/{deliveryId}/retry', none);
    expect(none.body).toEqual(exampleWith('WEBHOOK_DELIVERY_NOT_FOUND', { [REFUND_EXAMPLE.id]: id }));

    const again = await h.call('POST', `/refunds/${id}/webhooks/${delivery.id}/retry`);
    expectDocumented('post', '/refunds/{id}/webhooks/{deliveryId}/retry', again);
    expect(again.body).toEqual(
      exampleWith('WEBHOOK_ALREADY_DELIVERED', { [WEBHOOK_DELIVERY_EXAMPLE.id]: delivery.id }),
    );
  });

  it('answers errors with the documented examples, exactly', async () => {
    const missing = await h.call('GET', '/refunds', undefined, null);
    expectDocumented('get', '/refunds', missing);
    expect(missing.body).toEqual(API_ERRORS.MISSING_API_KEY.example);
    const invalid = await h.call('GET', `/refunds/${REFUND_EXAMPLE.id}`, undefined, 'rh_not_a_key');
    expectDocumented('get', '/refunds/{id}', invalid);
    expect(invalid.body).toEqual(API_ERRORS.INVALID_API_KEY.example);

    const notFound = await h.call('GET', `/refunds/${REFUND_EXAMPLE.id}`);
    expectDocumented('get', '/refunds/{id}', notFound);
    expect(notFound.body).toEqual(API_ERRORS.REFUND_NOT_FOUND.example);

    const badBody = await h.call('POST', '/refunds', refundBody({ amount: '100', order: { totalAmount: 300 } }));
    expectDocumented('post', '/refunds', badBody);
    expect(badBody.body).toEqual(API_ERRORS.VALIDATION_FAILED.example);

    const badLimit = await h.call('GET', '/refunds?limit=0');
    expectDocumented('get', '/refunds', badLimit);
    expect(badLimit.body).toEqual(API_ERRORS.QUERY_INVALID.example);
    const badCursor = await h.call('GET', '/refunds?cursor=not-ours');
    expectDocumented('get', '/refunds', badCursor);
    expect(badCursor.body).toEqual(API_ERRORS.CURSOR_INVALID.example);

    const otherMerchant = await h.call('POST', '/refunds', refundBody({ merchantId: OTHER_MERCHANT }), KEYS.shop);
    expectDocumented('post', '/refunds', otherMerchant);
    expect(otherMerchant.body).toEqual(API_ERRORS.FORBIDDEN_MERCHANT.example);

    const notXml = await fetch(`${h.url}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/xml' },
      body: '<refund/>',
    });
    expect({ status: notXml.status, body: await notXml.json() }).toEqual({
      status: 415,
      body: API_ERRORS.UNSUPPORTED_MEDIA_TYPE.example,
    });

    const unknownGateway = await h.call('POST', '/refunds', refundBody({ gateway: 'paypal' }));
    expectDocumented('post', '/refunds', unknownGateway);
    expect(unknownGateway.body).toEqual(API_ERRORS.GATEWAY_UNKNOWN.example);
    const unknownMerchant = await h.call('POST', '/refunds', refundBody({ merchantId: '0000000099' }));
    expectDocumented('post', '/refunds', unknownMerchant);
    expect(unknownMerchant.body).toEqual(API_ERRORS.MERCHANT_UNKNOWN.example);

    const badPath = await h.call('GET', '/refunds/%ED%A0%80');
    expectDocumented('get', '/refunds/{id}', badPath);
    expect(badPath.body).toEqual(API_ERRORS.PATH_INVALID.example);

    const huge = await h.call('POST', '/refunds', refundBody({ reason: 'x'.repeat(1024 * 1024) }));
    expectDocumented('post', '/refunds', huge);
    expect(huge.body).toEqual(API_ERRORS.JSON_BODY_TOO_LARGE.example);
  });

  it('answers notifications it cannot take with the documented examples', async () => {
    const unknown = await h.postRaw('/notify/paypal', 'a=1', 'application/x-www-form-urlencoded');
    expectDocumented('post', '/notify/{gateway}', { ...unknown, body: JSON.parse(unknown.text) });
    expect(JSON.parse(unknown.text)).toEqual(API_ERRORS.NOTIFY_GATEWAY_UNKNOWN.example);

    const silent = await h.postRaw('/notify/chaoying', 'a=1', 'application/x-www-form-urlencoded');
    expectDocumented('post', '/notify/{gateway}', { ...silent, body: JSON.parse(silent.text) });
    expect(JSON.parse(silent.text)).toEqual(API_ERRORS.GATEWAY_NOTIFICATIONS_UNSUPPORTED.example);

    const tooLarge = await h.postRaw('/notify/leshua', 'a'.repeat(8193), 'application/x-www-form-urlencoded');
    expectDocumented('post', '/notify/{gateway}', { ...tooLarge, body: JSON.parse(tooLarge.text) });
    expect(JSON.parse(tooLarge.text)).toEqual(API_ERRORS.NOTIFICATION_TOO_LARGE.example);
  });

  it('answers the balance and the order rules with the documented examples', async () => {
    const order = { merchantOrderNo: 'T20250101000777', totalAmount: 300 };
    h.sandbox.seedOrder({
      merchantId: MERCHANT,
      thirdOrderId: order.merchantOrderNo,
      leshuaOrderId: '8001122165823777',
      totalAmount: 300,
    });
    const first = await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI3', order }));
    expect(first.status).toBe(201);

    const over = await h.call('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI4', amount: 250, order }));
    expectDocumented('post', '/refunds', over);
    expect(over.body).toEqual(API_ERRORS.REFUND_EXCEEDS_BALANCE.example);

    const conflict = await h.call('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI3', amount: 101, order }));
    expectDocumented('post', '/refunds', conflict);
    expect(conflict.body).toEqual(exampleWith('REFUND_CONFLICT', { [REFUND_EXAMPLE.id]: first.body.id }));

    const otherTotal = await h.call(
      'POST',
      '/refunds',
      refundBody({ refundNo: 'ROPENAPI5', order: { ...order, totalAmount: 500 } }),
    );
    expectDocumented('post', '/refunds', otherTotal);
    expect(otherTotal.body).toEqual(exampleWith('ORDER_CONFLICT', { T20250101000001: order.merchantOrderNo }));

    // The harness's order is recorded under both its numbers; a second order under a gateway number alone.
    h.sandbox.seedOrder({
      merchantId: MERCHANT,
      thirdOrderId: 'T20250101000199',
      leshuaOrderId: '8001122165823199',
      totalAmount: 500,
    });
    await h.call('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI7', amount: 10, order: ORDER }));
    const second = { gatewayOrderNo: '8001122165823199', totalAmount: 500 };
    expect(
      (await h.call('POST', '/refunds', refundBody({ refundNo: 'ROPENAPI8', amount: 10, order: second }))).status,
    ).toBe(201);
    const crossed = await h.call(
      'POST',
      '/refunds',
      refundBody({ refundNo: 'ROPENAPI9', amount: 10, order: { ...ORDER, gatewayOrderNo: second.gatewayOrderNo } }),
    );
    expectDocumented('post', '/refunds', crossed);
    expect(crossed.body).toEqual(API_ERRORS.ORDER_REFERENCE_CONFLICT.example);
  });

  it("answers a gateway's rule with the documented example", async () => {
    const example = API_ERRORS.REFUND_WINDOW_CLOSED.example;
    const refused = await h.call<{ message: string }>('POST', '/refunds', {
      gateway: 'umf',
      merchantId: UMF_MERCHANT,
      refundNo: 'ROPENAPI10',
      amount: 100,
      order: { merchantOrderNo: 'UMF20250101000001', totalAmount: 800, payMethod: 'ALIPAY', paidAt: example['paidAt'] },
    });
    expectDocumented('post', '/refunds', refused);
    // How many days ago depends on today; everything else is as documented.
    const daysAgo = /, (\d+) days ago$/.exec(refused.body.message)?.[1] ?? 'none';
    expect(refused.body).toEqual(
      JSON.parse(JSON.stringify(example).split(', 120 days ago').join(`, ${daysAgo} days ago`)),
    );
  });

  it('answers resolve as documented: the scope, the body, a final refund', async () => {
    const created = await h.call<RefundView>(
      'POST',
      '/refunds',
      refundBody({ refundNo: 'ROPENAPI6', amount: 10, order: ORDER }),
    );
    const id = created.body.id;

    const noScope = await h.call('POST', `/refunds/${id}/resolve`, { status: 'SUCCEEDED', reason: 'seen' }, KEYS.all);
    expectDocumented('post', '/refunds/{id}/resolve', noScope);
    expect(noScope.body).toEqual(API_ERRORS.OPERATOR_SCOPE_REQUIRED.example);

    const badBody = await h.call('POST', `/refunds/${id}/resolve`, { status: 'PENDING' }, KEYS.operator);
    expectDocumented('post', '/refunds/{id}/resolve', badBody);
    expect(badBody.body).toEqual(API_ERRORS.RESOLVE_INVALID.example);

    expect((await h.call<RefundView>('POST', `/refunds/${id}/sync`)).body.status).toBe('SUCCEEDED');
    const final = await h.call('POST', `/refunds/${id}/resolve`, { status: 'FAILED', reason: 'seen' }, KEYS.operator);
    expectDocumented('post', '/refunds/{id}/resolve', final);
    expect(final.body).toEqual(exampleWith('REFUND_ALREADY_FINAL', { [REFUND_EXAMPLE.id]: id }));
  });

  it('answers health as documented, with and without a key', async () => {
    for (const path of ['/health', '/health/live', '/health/ready'] as const) {
      expectDocumented('get', path, await h.call('GET', path, undefined, null));
      expectDocumented('get', path, await h.call('GET', path, undefined, KEYS.all));
    }
  });
});
