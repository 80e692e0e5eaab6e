import { formFields, SandboxServer } from './sandbox-server';
import { waitUntil } from '@refundhub/core/testing';

/** Polls the event loop (no timers) until the condition holds. */

function post(url: string, body: string, contentType: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
}

/** Settles to 'answered' or 'dropped' without ever rejecting the test. */
function outcome(response: Promise<Response>): Promise<'answered' | 'dropped'> {
  return response.then(
    async (r) => {
      await r.text();
      return 'answered' as const;
    },
    () => 'dropped' as const,
  );
}

describe('SandboxServer', () => {
  let server: SandboxServer;

  beforeEach(() => {
    server = new SandboxServer({
      name: 'TestSandbox',
      rawBodies: ['text/xml', 'application/json'],
      routes: (app) => {
        app.post('/echo', (request, reply) =>
          reply.send({ type: typeof request.body, body: request.body, fields: formFields(request.body) }),
        );
        app.post('/hold', (_request, reply) => server.misbehave(reply, 'timeout'));
        app.post('/fail', (_request, reply) => server.misbehave(reply, '5xx'));
      },
    });
  });

  afterEach(() => server.stop());

  describe('lifecycle', () => {
    it('listens on 127.0.0.1 and a random port by default', async () => {
      const baseUrl = await server.start();

      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.baseUrl).toBe(baseUrl);
      expect(Number(new URL(baseUrl).port)).toBeGreaterThan(0);
    });

    it('refuses a second start and has no base URL when stopped', async () => {
      await server.start();

      await expect(server.start()).rejects.toThrow('TestSandbox already started');
      await server.stop();
      expect(() => server.baseUrl).toThrow('TestSandbox not started');
    });

    it('can start again after a stop', async () => {
      await server.start();
      await server.stop();
      const baseUrl = await server.start();

      const response = await post(`${baseUrl}/echo`, 'a=1', 'application/x-www-form-urlencoded');

      expect(response.status).toBe(200);
      expect(server.baseUrl).toBe(baseUrl);
    });

    it('stop() is harmless before start', async () => {
      await expect(server.stop()).resolves.toBeUndefined();
    });
  });

  describe('bodies', () => {
    beforeEach(() => server.start());

    it('parses forms into single-valued fields', async () => {
      const response = await post(
        `${server.baseUrl}/echo`,
        'service=unified_refund&notify_url=http%253A%252F%252Fa',
        'application/x-www-form-urlencoded',
      );

      expect(await response.json()).toEqual({
        type: 'object',
        body: { service: 'unified_refund', notify_url: 'http%3A%2F%2Fa' },
        fields: { service: 'unified_refund', notify_url: 'http%3A%2F%2Fa' },
      });
    });

    it('reports a repeated form field as not a form', async () => {
      const response = await post(`${server.baseUrl}/echo`, 'a=1&a=2', 'application/x-www-form-urlencoded');

      expect(await response.json()).toMatchObject({ fields: null });
    });

    it.each([
      ['text/xml; charset=utf-8', '<leshua><a><![CDATA[1]]></a></leshua>'],
      ['application/json', '{"retCode":"0000", "amount":1}'],
    ])('hands %s over as the raw string', async (contentType, body) => {
      const response = await post(`${server.baseUrl}/echo`, body, contentType);

      expect(await response.json()).toEqual({ type: 'string', body, fields: null });
    });

    it('parses JSON when not asked for raw bodies', async () => {
      const parsing = new SandboxServer({
        name: 'JsonSandbox',
        routes: (app) => {
          app.post('/echo', (request, reply) => reply.send({ type: typeof request.body }));
        },
      });
      const baseUrl = await parsing.start();
      try {
        const response = await post(`${baseUrl}/echo`, '{"a":1}', 'application/json');

        expect(await response.json()).toEqual({ type: 'object' });
      } finally {
        await parsing.stop();
      }
    });

    it('accepts any other type as raw text with the * option', async () => {
      const anything = new SandboxServer({
        name: 'AnySandbox',
        rawBodies: ['*'],
        routes: (app) => {
          app.post('/echo', (request, reply) => reply.send({ body: request.body }));
        },
      });
      const baseUrl = await anything.start();
      try {
        const response = await post(`${baseUrl}/echo`, 'plain words', 'application/octet-stream');

        expect(await response.json()).toEqual({ body: 'plain words' });
      } finally {
        await anything.stop();
      }
    });
  });

  describe('faults', () => {
    beforeEach(() => server.start());

    it('answers a 502 page for 5xx', async () => {
      const response = await post(`${server.baseUrl}/fail`, 'a=1', 'application/x-www-form-urlencoded');

      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('502 Bad Gateway');
    });

    it('holds a request unanswered until released, then drops it', async () => {
      const held = outcome(post(`${server.baseUrl}/hold`, 'a=1', 'application/x-www-form-urlencoded'));
      await waitUntil(() => server.heldCount === 1, { what: 'server.heldCount === 1' });

      expect(server.releaseHeld()).toBe(1);
      expect(server.heldCount).toBe(0);
      expect(await held).toBe('dropped');
      expect(server.releaseHeld()).toBe(0);
    });

    it('keeps answering other requests while one is held', async () => {
      const held = outcome(post(`${server.baseUrl}/hold`, 'a=1', 'application/x-www-form-urlencoded'));
      await waitUntil(() => server.heldCount === 1, { what: 'server.heldCount === 1' });

      const response = await post(`${server.baseUrl}/echo`, 'b=2', 'application/x-www-form-urlencoded');

      expect(response.status).toBe(200);
      server.releaseHeld();
      await held;
    });

    it('stop() closes even with held requests', async () => {
      const held = [1, 2].map(() =>
        outcome(post(`${server.baseUrl}/hold`, 'a=1', 'application/x-www-form-urlencoded')),
      );
      await waitUntil(() => server.heldCount === 2, { what: 'server.heldCount === 2' });

      await server.stop();

      expect(await Promise.all(held)).toEqual(['dropped', 'dropped']);
      expect(server.heldCount).toBe(0);
    });
  });
});

describe('formFields', () => {
  it('returns single-valued string fields', () => {
    expect(formFields({ a: '1', b: '' })).toEqual({ a: '1', b: '' });
    expect(formFields({})).toEqual({});
  });

  it.each([null, undefined, 'a=1', 1, ['a'], { a: ['1', '2'] }, { a: 1 }])('returns null for %p', (body) => {
    expect(formFields(body)).toBeNull();
  });
});
