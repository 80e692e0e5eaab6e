import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written during one refund's work carries, whichever logger the host
 * installed: the host's logger reads it with {@link currentLogContext} (a pino `mixin`, for
 * example), so core names no logging library.
 */
export interface LogContext {
  refundId?: string;
  gateway?: string;
}

const storage = new AsyncLocalStorage<Readonly<LogContext>>();

/**
 * Runs `fn` with `context` added to the current log context (an inner field replaces an outer
 * one): everything it awaits and starts, timers and background work included, logs with it.
 */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(Object.freeze({ ...storage.getStore(), ...definedFields(context) }), fn);
}

/** `work` for one refund at a time (a sync round's claimed refunds), each run in that refund's log context. */
export function inRefundLogContext<T extends { id: string; gateway: string }, R>(
  work: (refund: T) => Promise<R>,
): (refund: T) => Promise<R> {
  return (refund) => runWithLogContext({ refundId: refund.id, gateway: refund.gateway }, () => work(refund));
}

/** The log context of the work under way, empty outside any refund's work. */
export function currentLogContext(): Readonly<LogContext> {
  return storage.getStore() ?? EMPTY;
}

const EMPTY: Readonly<LogContext> = Object.freeze({});

function definedFields(context: LogContext): LogContext {
  const fields: LogContext = {};
  if (context.refundId !== undefined) fields.refundId = context.refundId;
  if (context.gateway !== undefined) fields.gateway = context.gateway;
  return fields;
}
