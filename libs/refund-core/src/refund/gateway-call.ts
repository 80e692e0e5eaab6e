import { Logger } from '@nestjs/common';

import type { GatewayQueryOutcome, UnknownOutcome } from '../gateway/refund-gateway.port';
import { describeError, errorFrames } from '../logging/error-summary';
import { observeGatewayCall } from '../observability/observe-gateway-call';
import type { GatewayOperation, RefundObserver } from '../observability/refund-observer';

const logger = new Logger('GatewayCall');

export interface GatewayCallOptions {
  gateway: string;
  operation: GatewayOperation;
  /** For the log only. */
  refundId: string;
  timeoutMs: number;
  observer: RefundObserver;
}

/**
 * Runs one call through the gateway port. Whatever goes wrong on the way (a throw, a call
 * that outlives its deadline) is an UNKNOWN outcome: we asked and did not learn the answer.
 */
export async function callGateway<T extends GatewayQueryOutcome>(
  options: GatewayCallOptions,
  call: () => Promise<T>,
): Promise<T | UnknownOutcome> {
  const startedAt = performance.now();
  const outcome = await answerOf(options, call);
  observeGatewayCall(options.observer, { ...options, durationMs: performance.now() - startedAt, outcome });
  return outcome;
}

function answerOf<T extends GatewayQueryOutcome>(
  { gateway, operation, refundId, timeoutMs }: GatewayCallOptions,
  call: () => Promise<T>,
): Promise<T | UnknownOutcome> {
  // One promise and one timer, not a deadline promise raced against the call: this runs for every call.
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: T | UnknownOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const threw = (error: unknown) => {
      // Past the deadline the outcome is already UNKNOWN, and a late failure changes nothing.
      if (settled) return;
      const label = `${gateway}.${operation}(${refundId})`;
      logger.error(`${label} threw; outcome recorded as UNKNOWN: ${describeError(error)}`, errorFrames(error));
      // The detail is stored and shown in the refund's failure: the same safe description as the log's.
      settle({ kind: 'unknown', reason: 'adapter_error', detail: `gateway adapter error: ${describeError(error)}` });
    };
    const timer = setTimeout(
      () =>
        settle({
          kind: 'unknown',
          reason: 'timeout',
          detail: `no answer through the gateway port within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
    try {
      call().then(settle, threw);
    } catch (error) {
      threw(error);
    }
  });
}
