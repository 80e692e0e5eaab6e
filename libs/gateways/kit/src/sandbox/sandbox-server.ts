import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

/** Misbehaviour whose wire form is the same for every gateway; `malformed` and `badsign` are the simulator's. */
export type GenericFault = 'timeout' | '5xx';

export interface SandboxServerOptions {
  /** Names the simulator in errors: `LeshuaSandbox`. */
  name: string;
  /** Registers the simulator's routes; called on each start with a fresh Fastify instance. */
  routes: (app: FastifyInstance) => void | Promise<void>;
  /**
   * Content types whose bodies reach handlers as the raw string, e.g. `['text/xml', 'application/json']`
   * for a simulator that verifies signatures over exact bytes; `'*'` for any type not otherwise handled.
   * Form bodies are always parsed (@fastify/formbody); JSON is parsed unless listed here.
   */
  rawBodies?: readonly string[];
}

/**
 * The server lifecycle every gateway simulator shares: a Fastify instance on 127.0.0.1 and a random
 * port by default, body parsing for form, JSON and XML gateways, requests held unanswered for the
 * `timeout` fault, and a stop that never waits on them. The simulator keeps only its protocol.
 *
 * @example
 * ```ts
 * const server = new SandboxServer({ name: 'LeshuaSandbox', routes: (app) => app.post(CGI, handler) });
 * const baseUrl = await server.start();
 * await server.stop();
 * ```
 */
export class SandboxServer {
  private readonly held = new Set<ServerResponse>();
  private app: FastifyInstance | undefined;
  private url: string | undefined;

  constructor(private readonly options: SandboxServerOptions) {}

  /** Listens and returns the base URL to configure the gateway module with. */
  async start(options: { host?: string; port?: number } = {}): Promise<string> {
    if (this.app) throw new Error(`${this.options.name} already started`);
    const host = options.host ?? '127.0.0.1';
    const app = Fastify({ logger: false, forceCloseConnections: true });
    try {
      await app.register(formbody);
      this.registerRawBodies(app);
      await this.options.routes(app);
      await app.listen({ host, port: options.port ?? 0 });
    } catch (error) {
      await app.close();
      throw error;
    }
    this.app = app;
    const { port } = app.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this.url;
  }

  /** Drops held requests without an answer and closes; the server may be started again. */
  async stop(): Promise<void> {
    this.releaseHeld();
    const app = this.app;
    this.app = undefined;
    this.url = undefined;
    await app?.close();
  }

  get baseUrl(): string {
    if (!this.url) throw new Error(`${this.options.name} not started`);
    return this.url;
  }

  /** Requests held unanswered right now. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Takes the reply away from Fastify and keeps its connection open, unanswered, until release or stop. */
  hold(reply: FastifyReply): FastifyReply {
    reply.hijack();
    const response = reply.raw;
    this.held.add(response);
    response.on('close', () => this.held.delete(response));
    return reply;
  }

  /** Drops the connections of held requests without answering, as a gateway that timed out. Returns how many. */
  releaseHeld(): number {
    const count = this.held.size;
    for (const response of this.held) response.destroy();
    this.held.clear();
    return count;
  }

  /** The misbehaviour every gateway shows alike: `timeout` holds the request, `5xx` answers a 502 page. */
  misbehave(reply: FastifyReply, mode: GenericFault): FastifyReply {
    if (mode === 'timeout') return this.hold(reply);
    return reply.code(502).type('text/html').send('<html><body>502 Bad Gateway</body></html>');
  }

  private registerRawBodies(app: FastifyInstance): void {
    for (const type of this.options.rawBodies ?? []) {
      if (type !== '*' && app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
      app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    }
  }
}

/** A parsed form as single-valued string fields, or null when a field is repeated or the body is not a form. */
export function formFields(body: unknown): Record<string, string> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') return null;
    fields[name] = value;
  }
  return fields;
}
