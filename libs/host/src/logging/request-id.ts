import { randomUUID } from 'node:crypto';

/** The header a request id arrives in (from a proxy, a caller) and is answered in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Where new request ids come from; a test may hand in its own. */
export interface RequestIdSource {
  next(): string;
}

export const randomRequestIds: RequestIdSource = { next: () => randomUUID() };

/**
 * Letters, digits and `._:=+/-`, at most 128 of them: what proxies and tracing systems send (UUIDs,
 * W3C trace parents, `Root=1-...`), and nothing that could break a log line or forge another field.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** The caller's own request id when it is sane, otherwise a new one (a repeated header counts as none). */
export function requestIdFor(incoming: string | string[] | undefined, ids: RequestIdSource): string {
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : ids.next();
}
