import type { GatewayQueryOutcome } from '../gateway/refund-gateway.port';
import type { GatewayOperation, RefundObserver } from './refund-observer';

/** Tells the observer about one gateway call and, when it brought one, its unknown outcome or definite refusal. */
export function observeGatewayCall(
  observer: RefundObserver,
  call: { gateway: string; operation: GatewayOperation; durationMs: number; outcome: GatewayQueryOutcome },
): void {
  const { gateway, operation, outcome } = call;
  observer.gatewayCall({ gateway, operation, durationMs: call.durationMs, outcome: outcome.kind });
  if (outcome.kind === 'unknown') observer.unknownOutcome({ gateway, operation, reason: outcome.reason });
  if (outcome.kind === 'failed') observer.rejection({ gateway, operation, code: outcome.code });
}
