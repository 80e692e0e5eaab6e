/**
 * A refund's `notifyUrl` target for the crash-recovery test: an HTTP server in the test process (it
 * outlives the API) that records every POST and checks its Standard Webhooks signature
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** `webhook-id`: the event id. */
  id: string | null;
  timestamp: string | null;
  /** Whether one of the `v1,` signatures is the HMAC of `id.timestamp.body` with the secret. */
  signatureValid: boolean;
  /** The body's `type` (the event key), when it is JSON with one. */
  type: string | null;
  body: string;
  at: Date;
}

/** A fresh `whsec_` secret: base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export class WebhookReceiver {
  private readonly received: ReceivedWebhook[] = [];
  private readonly server: Server;
  private baseUrl = '';

  private constructor(private readonly secret: string) {
    this.server = createServer((request, response) => {
      void readBody(request).then(
        (body) => {
          this.record(request, body);
          response.writeHead(204).end();
        },
        () => response.writeHead(400).end(),
      );
    });
  }

  /** Listens on a random local port; verifies signatures with `secret` (`whsec_...`). */
  static async start(secret: string): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(secret);
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = receiver.server.address() as AddressInfo;
    receiver.baseUrl = `http://127.0.0.1:${port}`;
    return receiver;
  }

  /** The URL to give as `notifyUrl`. */
  get url(): string {
    return `${this.baseUrl}/refund-webhooks`;
  }

  deliveries(): ReceivedWebhook[] {
    return this.received.map((r) => ({ ...r }));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(request: IncomingMessage, body: string): void {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : null;
    };
    const id = header('webhook-id');
    const timestamp = header('webhook-timestamp');
    let type: string | null = null;
    try {
      const parsed = JSON.parse(body) as { type?: unknown };
      if (typeof parsed.type === 'string') type = parsed.type;
    } catch {
      // not JSON: recorded as it came
    }
    this.received.push({
      id,
      timestamp,
      signatureValid: this.verify(id, timestamp, header('webhook-signature'), body),
      type,
      body,
      at: new Date(),
    });
  }

  private verify(id: string | null, timestamp: string | null, signatures: string | null, body: string): boolean {
    if (!id || !timestamp || !signatures) return false;
    const key = Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
    return signatures.split(' ').some((entry) => {
      const [version, signature] = entry.split(',', 2);
      if (version !== 'v1' || !signature) return false;
      const given = Buffer.from(signature, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
