import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One notification to POST. Simulators extend it with what their tests look records up by. */
export interface CourierDelivery {
  url: string;
  body: string | Buffer;
  /** `text/xml; charset=utf-8` (Leshua), `application/json` (UMF), form (Baofoo)... */
  contentType: string;
}

/** What the receiver answered. */
export interface CourierAnswer {
  status: number;
  body: string;
}

/** What the receiver answered, or why the delivery failed. */
export type CourierResponse = CourierAnswer | { error: string };

/** A delivery and its result. */
export type DeliveryRecord<D extends CourierDelivery = CourierDelivery> = D & {
  response: CourierResponse;
  /** The receiver answered, and the gateway's rule says the answer acknowledges the notification. */
  acknowledged: boolean;
};

/**
 * Delivers a simulated gateway's notifications in the background, over node:http(s) so nothing else
 * in the process (interceptors, agents, mocks of axios) takes part, and remembers what receivers
 * answered. One attempt each: real gateways redeliver until acknowledged, which a simulator offers as
 * an explicit `redeliver` so tests stay deterministic.
 *
 * @typeParam D the delivery with the simulator's own fields (merchant, refund number).
 */
export class NotificationCourier<D extends CourierDelivery = CourierDelivery> {
  private readonly records: Array<DeliveryRecord<D>> = [];
  private readonly inFlight = new Set<Promise<void>>();
  // Requests are tracked and destroyed one by one on stop, rather than sharing one AbortSignal: a
  // shared signal gains a listener per delivery and warns past ten (MaxListenersExceededWarning).
  private readonly requests = new Set<ClientRequest>();
  private stopped = false;
  private readonly timeoutMs: number;
  private readonly acknowledges: (answer: CourierAnswer) => boolean;

  constructor(options: {
    /** Bound of one delivery, from connecting to the last byte of the answer. */
    timeoutMs: number;
    /** The gateway's rule, e.g. `(a) => a.body === '000000'` (Leshua) or `a.body === 'OK'` (Baofoo). */
    acknowledges: (answer: CourierAnswer) => boolean;
  }) {
    if (!Number.isSafeInteger(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new Error('timeoutMs must be a positive integer');
    }
    this.timeoutMs = options.timeoutMs;
    this.acknowledges = options.acknowledges;
  }

  /** Starts the delivery and returns at once; {@link settled} waits for it. */
  send(delivery: D): void {
    const done = this.post(delivery).then((response) => {
      this.records.push({
        ...delivery,
        response,
        acknowledged: 'status' in response && this.acknowledges(response),
      });
    });
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  /** Every finished delivery, in the order they finished (copies). */
  deliveries(): Array<DeliveryRecord<D>> {
    return this.records.map((record) => ({ ...record }));
  }

  /** Resolves once every delivery started so far, and any started meanwhile, has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Abandons deliveries in flight (recorded as errors); later sends fail at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const request of this.requests) request.destroy(new Error('courier stopped'));
    await this.settled();
  }

  private post(delivery: D): Promise<CourierResponse> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(delivery.url);
      } catch {
        resolve({ error: `invalid notification URL '${delivery.url}'` });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        resolve({ error: `notification URL is not http(s): '${delivery.url}'` });
        return;
      }
      if (this.stopped) {
        resolve({ error: 'courier stopped' });
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: 'POST',
          headers: {
            'Content-Type': delivery.contentType,
            'Content-Length': Buffer.byteLength(delivery.body),
          },
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', (error) => resolve({ error: error.message }));
          response.on('close', () => {
            if (!response.complete) resolve({ error: 'connection closed before the answer ended' });
          });
        },
      );
      // Bounds the whole delivery, not only socket inactivity.
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.requests.add(request);
      request.on('close', () => {
        clearTimeout(timer);
        this.requests.delete(request);
      });
      request.on('error', (error) => resolve({ error: error.message }));
      request.end(delivery.body);
    });
  }
}
