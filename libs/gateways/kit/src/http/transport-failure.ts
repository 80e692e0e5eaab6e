import { AxiosError } from 'axios';

import type { TransportResult } from './gateway-transport';

export type TransportFailure = Extract<TransportResult, { kind: 'failure' }>;

/** Error codes and names that mean "the deadline passed", whichever layer noticed first. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  AxiosError.ECONNABORTED,
  AxiosError.ETIMEDOUT,
  AxiosError.ERR_CANCELED,
]);
const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['AbortError', 'TimeoutError', 'CanceledError']);

/** Classifies a thrown error: only the deadline is a timeout, anything else is a connection failure. */
export function describeFailure(
  error: unknown,
  context: { deadlinePassed: boolean; timeoutMs: number },
): TransportFailure {
  if (context.deadlinePassed || isTimeout(error)) {
    return { kind: 'failure', reason: 'timeout', detail: `no answer within ${context.timeoutMs} ms` };
  }
  return { kind: 'failure', reason: 'connection', detail: `connection error (${errorLabel(error)})` };
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && TIMEOUT_CODES.has(code)) || TIMEOUT_NAMES.has(error.name);
}

function errorLabel(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Logs name the host only: paths and query strings of some gateways carry merchant data. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
