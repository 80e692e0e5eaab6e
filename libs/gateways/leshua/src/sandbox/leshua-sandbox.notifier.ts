import { setMaxListeners } from 'node:events';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { LESHUA_NOTIFICATION_ACK } from '../leshua.notify';
import type { LeshuaSandboxNotificationRecord } from './leshua-sandbox.types';

type Delivery = Omit<LeshuaSandboxNotificationRecord, 'response' | 'acknowledged'>;

/**
 * Delivers notifications in the background and remembers what receivers answered. One attempt each:
 * the real gateway redelivers until it reads `000000`, which tests can do by calling `redeliver`.
 */
export class LeshuaSandboxNotifier {
  private readonly records: LeshuaSandboxNotificationRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  // One signal stops every delivery in flight; there may be many, so no listener cap.
  private readonly aborter = withoutListenerCap(new AbortController());

  constructor(private readonly timeoutMs: number) {}

  send(delivery: Delivery): void {
    const done = this.post(delivery).then((response) => {
      this.records.push({
        ...delivery,
        response,
        acknowledged: 'status' in response && response.body === LESHUA_NOTIFICATION_ACK,
      });
    });
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  notifications(): LeshuaSandboxNotificationRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Resolves once every delivery started so far, and any started meanwhile, has an answer. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Abandons deliveries in flight (they are recorded as errors). */
  async stop(): Promise<void> {
    this.aborter.abort();
    await this.settled();
  }

  private post(delivery: Delivery): Promise<{ status: number; body: string } | { error: string }> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(delivery.url);
      } catch {
        resolve({ error: `invalid notify_url '${delivery.url}'` });
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: 'POST',
          // The doc contradicts itself (XML body, "receive it as form-urlencoded"); the body is XML.
          headers: {
            'Content-Type': 'text/xml; charset=utf-8',
            'Content-Length': Buffer.byteLength(delivery.body),
          },
          agent: false,
          timeout: this.timeoutMs,
          signal: this.aborter.signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', (error) => resolve({ error: error.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error('notification timed out')));
      request.on('error', (error) => resolve({ error: error.message }));
      request.end(delivery.body);
    });
  }
}

function withoutListenerCap(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
