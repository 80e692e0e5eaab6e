import type { BaofooSandboxViolation } from './baofoo-sandbox.types';

/** One `order_refund` request between its arrival and its answer. */
export interface Flight {
  /** Refund numbers of the other requests of the order in flight when this one arrived: empty for a lawful one. */
  readonly overlapping: readonly string[];
  /** The answer is out (or the held connection dropped): the refund is no longer in flight. Idempotent. */
  land(): void;
}

/**
 * Baofoo takes one refund of an order at a time (「不支持并发退款」): a refund is in flight from the moment its
 * `order_refund` arrives until its answer is sent, and one arriving meanwhile for the same order is refused
 * NOT_SUPPORT_CONCURRENT. The same rule the core keeps (DESIGN.md, "Serial gateways"); every refusal is kept
 * as a violation so tests can prove the core never causes one.
 */
export class BaofooSandboxFlights {
  private readonly inFlight = new Map<string, Set<{ outTradeNo: string }>>();
  private readonly log: BaofooSandboxViolation[] = [];

  constructor(private readonly now: () => Date) {}

  /** A request for `orderKey` arrived (the order as resolved, so both of its numbers meet here). */
  takeOff(orderKey: string, outTradeNo: string): Flight {
    const flights = this.inFlight.get(orderKey) ?? new Set();
    this.inFlight.set(orderKey, flights);
    const overlapping = [...flights].map((f) => f.outTradeNo);
    const flight = { outTradeNo };
    flights.add(flight);
    let landed = false;
    return {
      overlapping,
      land: () => {
        if (landed) return;
        landed = true;
        flights.delete(flight);
        if (flights.size === 0) this.inFlight.delete(orderKey);
      },
    };
  }

  /** Records the refusal of a request that overlapped others. */
  violated(violation: Omit<BaofooSandboxViolation, 'at'>): void {
    this.log.push({ ...violation, inFlight: [...violation.inFlight], at: this.now() });
  }

  violations(): BaofooSandboxViolation[] {
    return this.log.map((v) => ({ ...v, inFlight: [...v.inFlight] }));
  }

  /** Requests in flight now, all orders together. */
  get count(): number {
    let count = 0;
    for (const flights of this.inFlight.values()) count += flights.size;
    return count;
  }
}
