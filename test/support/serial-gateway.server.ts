import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake gateway saw, for assertions. */
export interface SerialGatewayStats {
  /** Every POST /refund received, replays and refusals included. */
  submissions: number;
  /** POST /refund answered NOT_SUPPORT_CONCURRENT: another refund of the order was in flight. */
  concurrentRefusals: number;
  /** The most POST /refund of one order handled at the same moment (a correct client keeps it at 1). */
  maxInFlightPerOrder: number;
  /** Refunds the gateway holds (one per refund number). */
  refunds: number;
  /** Every POST /query received. */
  queries: number;
}

export interface SerialGatewayServerOptions {
  /**
   * How long an answer to POST /refund is held: until the next request has been read, or this many
   * turns of the event loop, whichever comes first. Holding widens the window in which a second
   * submission of the same order meets the first one at the gateway instead of slipping past it.
   * Default 5000 (some tens of milliseconds): with `oneRefundInFlightPerOrder` switched off, two app
   * instances submitting 20 refunds of one order reliably overlap within it, while a correct client,
   * which submits the next refund only after this answer, pays it once per refund.
   */
  holdTurns?: number;
}

interface StoredRefund {
  merchantId: string;
  orderRef: string;
  refundNo: string;
  amount: number;
  gatewayRefundNo: string;
  queries: number;
}

interface HeldAnswer {
  release(): void;
}

/** The JSON the fake gateway answers; `result` says which case it is. */
export type SerialGatewayAnswer =
  | { result: 'ACCEPTED'; status: 'PROCESSING'; refundNo: string; amount: number; gatewayRefundNo: string }
  | { result: 'FOUND'; status: 'PROCESSING' | 'SUCCEEDED'; refundNo: string; amount: number; gatewayRefundNo: string }
  | { result: 'NOT_SUPPORT_CONCURRENT'; message: string }
  | { result: 'NOT_FOUND'; message: string }
  | { result: 'REFUND_NO_CONFLICT'; message: string }
  | { result: 'BAD_REQUEST'; message: string };

/**
 * A fake gateway that takes one refund of an order at a time, like Baofoo, as a real HTTP server on
 * 127.0.0.1 (JSON over POST):
 *
 * - `POST /refund {merchantId, orderRef, refundNo, amount}`: ACCEPTED / PROCESSING, or the refund it
 *   already holds under that refund number (never a second one); NOT_SUPPORT_CONCURRENT when another
 *   refund of the same order is in flight; REFUND_NO_CONFLICT for a known refund number with another
 *   amount. A refund is in flight from the moment its request has been read until its answer is
 *   written.
 * - `POST /query {merchantId, refundNo}`: PROCESSING on the first query of a refund, SUCCEEDED after
 *   that; NOT_FOUND for a refund number it does not hold.
 */
export class SerialGatewayServer {
  private readonly refundsByNo = new Map<string, StoredRefund>();
  private readonly inFlight = new Map<string, number>();
  private readonly held = new Set<HeldAnswer>();
  private readonly counters = { submissions: 0, concurrentRefusals: 0, maxInFlightPerOrder: 0, queries: 0 };
  private readonly holdTurns: number;
  private nextGatewayNo = 1;

  private constructor(
    private readonly server: Server,
    options: SerialGatewayServerOptions,
  ) {
    this.holdTurns = options.holdTurns ?? 5000;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.answer(res, 500, { result: 'BAD_REQUEST', message: String(error) });
      });
    });
  }

  /** Listens on a random port of 127.0.0.1. */
  static start(options: SerialGatewayServerOptions = {}): Promise<SerialGatewayServer> {
    const server = createServer();
    const gateway = new SerialGatewayServer(server, options);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(gateway));
    });
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  stats(): SerialGatewayStats {
    return { ...this.counters, refunds: this.refundsByNo.size };
  }

  /** The refund numbers the gateway holds, sorted. */
  refundNos(): string[] {
    return [...this.refundsByNo.values()].map((r) => r.refundNo).sort();
  }

  close(): Promise<void> {
    for (const answer of [...this.held]) answer.release();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    if (req.method === 'POST' && req.url === '/refund') return this.refund(body, res);
    if (req.method === 'POST' && req.url === '/query') return this.query(body, res);
    this.releaseHeld();
    this.answer(res, 404, { result: 'BAD_REQUEST', message: `no route ${req.method} ${req.url}` });
  }

  private async refund(body: unknown, res: ServerResponse): Promise<void> {
    this.counters.submissions += 1;
    const fields = refundFields(body);
    if (!fields) {
      this.releaseHeld();
      return this.answer(res, 400, {
        result: 'BAD_REQUEST',
        message: 'merchantId, orderRef, refundNo and amount are required',
      });
    }
    const orderKey = `${fields.merchantId}/${fields.orderRef}`;
    const inFlight = (this.inFlight.get(orderKey) ?? 0) + 1;
    this.inFlight.set(orderKey, inFlight);
    this.counters.maxInFlightPerOrder = Math.max(this.counters.maxInFlightPerOrder, inFlight);
    // This request has been seen: whatever was held waiting for the next request may answer now.
    this.releaseHeld();
    try {
      if (inFlight > 1) {
        this.counters.concurrentRefusals += 1;
        return this.answer(res, 200, { result: 'NOT_SUPPORT_CONCURRENT', message: '请分批次执行' });
      }
      await this.hold();
      const key = `${fields.merchantId}/${fields.refundNo}`;
      let refund = this.refundsByNo.get(key);
      if (refund && refund.amount !== fields.amount) {
        return this.answer(res, 200, {
          result: 'REFUND_NO_CONFLICT',
          message: `refund ${fields.refundNo} exists with another amount`,
        });
      }
      if (!refund) {
        refund = { ...fields, gatewayRefundNo: `G${this.nextGatewayNo++}`, queries: 0 };
        this.refundsByNo.set(key, refund);
      }
      return this.answer(res, 200, {
        result: 'ACCEPTED',
        status: 'PROCESSING',
        refundNo: refund.refundNo,
        amount: refund.amount,
        gatewayRefundNo: refund.gatewayRefundNo,
      });
    } finally {
      // `answer` has written the response by now: from here on the refund is no longer in flight.
      this.inFlight.set(orderKey, (this.inFlight.get(orderKey) ?? 1) - 1);
    }
  }

  private query(body: unknown, res: ServerResponse): void {
    this.counters.queries += 1;
    this.releaseHeld();
    const merchantId = stringField(body, 'merchantId');
    const refundNo = stringField(body, 'refundNo');
    if (merchantId === null || refundNo === null) {
      return this.answer(res, 400, { result: 'BAD_REQUEST', message: 'merchantId and refundNo are required' });
    }
    const refund = this.refundsByNo.get(`${merchantId}/${refundNo}`);
    if (!refund) return this.answer(res, 200, { result: 'NOT_FOUND', message: `no refund ${refundNo}` });
    refund.queries += 1;
    return this.answer(res, 200, {
      result: 'FOUND',
      status: refund.queries === 1 ? 'PROCESSING' : 'SUCCEEDED',
      refundNo: refund.refundNo,
      amount: refund.amount,
      gatewayRefundNo: refund.gatewayRefundNo,
    });
  }

  /** Resolves when the next request has been read, or after `holdTurns` turns of the event loop. */
  private hold(): Promise<void> {
    return new Promise((resolve) => {
      let turns = 0;
      let done = false;
      const answer: HeldAnswer = {
        release: () => {
          if (done) return;
          done = true;
          this.held.delete(answer);
          resolve();
        },
      };
      const tick = () => {
        if (done) return;
        turns += 1;
        if (turns >= this.holdTurns) answer.release();
        else setImmediate(tick);
      };
      this.held.add(answer);
      setImmediate(tick);
    });
  }

  private releaseHeld(): void {
    for (const answer of [...this.held]) answer.release();
  }

  private answer(res: ServerResponse, status: number, body: SerialGatewayAnswer): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        resolve(null);
      }
    });
  });
}

function stringField(body: unknown, name: string): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

function refundFields(body: unknown): Omit<StoredRefund, 'gatewayRefundNo' | 'queries'> | null {
  const merchantId = stringField(body, 'merchantId');
  const orderRef = stringField(body, 'orderRef');
  const refundNo = stringField(body, 'refundNo');
  const amount = (body as Record<string, unknown> | null)?.amount;
  if (merchantId === null || orderRef === null || refundNo === null) return null;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) return null;
  return { merchantId, orderRef, refundNo, amount };
}
