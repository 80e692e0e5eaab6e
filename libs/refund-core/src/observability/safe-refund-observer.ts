import { Logger } from '@nestjs/common';

import { describeError } from '../logging/error-summary';
import type { RefundObserver } from './refund-observer';

type ObserverMethod = keyof RefundObserver;
type Observation<M extends ObserverMethod> = Parameters<RefundObserver[M]>[0];

/**
 * The host's observer behind a catch: a metrics library that throws must not turn a refund's
 * answer into an error after the money moved. Each method's first throw is logged; later ones are
 * not, so a broken observer cannot flood the log on every gateway call.
 */
export function safeRefundObserver(observer: RefundObserver): RefundObserver {
  const logger = new Logger('RefundObserver');
  const reported = new Set<ObserverMethod>();
  const guard =
    <M extends ObserverMethod>(method: M) =>
    (observation: Observation<M>): void => {
      try {
        (observer[method] as (observation: Observation<M>) => void).call(observer, observation);
      } catch (error) {
        if (reported.has(method)) return;
        reported.add(method);
        logger.error(`The observer's ${method} threw (ignored, and not logged again): ${describeError(error)}`);
      }
    };
  return {
    gatewayCall: guard('gatewayCall'),
    unknownOutcome: guard('unknownOutcome'),
    rejection: guard('rejection'),
    notification: guard('notification'),
    syncAttempt: guard('syncAttempt'),
    syncRound: guard('syncRound'),
    manualResolution: guard('manualResolution'),
    webhookAttempt: guard('webhookAttempt'),
    outboxEventSetAside: guard('outboxEventSetAside'),
  };
}
