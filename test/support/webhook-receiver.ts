import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got, as it came, and what it answered. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/**
 * A refund's `notifyUrl` for the webhook tests: a real HTTP server on 127.0.0.1 (a random port) that
 * records every request and answers the statuses it is told, then 200.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: number[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answered = this.script.shift() ?? 200;
      this.requests.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered,
      });
      response.writeHead(answered).end();
    });
  });

  private constructor() {}

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(0, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The URL to give as `notifyUrl`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/refund-webhooks`;
  }

  /** The next answers, in order; 200 after them. */
  answer(...statuses: number[]): this {
    this.script.push(...statuses);
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
