import { Injectable } from '@nestjs/common';

/** One POST to a gateway, fully prepared by the adapter (signed body, headers, the call's deadline). */
export interface TransportRequest {
  url: string;
  body: string | Buffer;
  headers: Readonly<Record<string, string>>;
  /** Bounds the whole call (connect, send, the last byte of the answer), not only socket inactivity. */
  timeoutMs: number;
}

/**
 * What came back. Any HTTP status is an `answer` (a 502 is still an answer, classified later); a
 * `failure` means no complete answer: `timeout` when the deadline passed, `connection` otherwise.
 */
export type TransportResult =
  | { kind: 'answer'; status: number; body: string; headers: Record<string, string> }
  | { kind: 'failure'; reason: 'timeout' | 'connection'; detail: string };

/**
 * The only way gateway adapters reach the network. An abstract class so it is its own Nest DI token:
 * tests, simulations and host apps swap the implementation (a fake, a proxying or mTLS transport)
 * without touching adapters.
 *
 * Implementations never throw: whatever the network does ends as a {@link TransportResult}, so an
 * adapter can always turn it into a domain outcome.
 */
@Injectable()
export abstract class GatewayTransport {
  abstract post(request: TransportRequest): Promise<TransportResult>;
}
