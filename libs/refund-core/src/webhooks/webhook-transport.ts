import type { ResolvedAddress } from './webhook-host-resolver';

/** One POST of a webhook. */
export interface WebhookHttpRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  /** The whole attempt, from connecting to the end of the answer. */
  timeoutMs: number;
  /**
   * Connect only to these addresses, which the target policy has checked; null to resolve the host
   * as usual (private targets allowed). The URL's host still names the server (Host header, TLS).
   */
  addresses: readonly ResolvedAddress[] | null;
}

export interface WebhookHttpResponse {
  status: number;
}

/**
 * The HTTP client of webhook deliveries, injectable so that tests replace it. It follows no
 * redirect (a 3xx is the receiver's answer, and a failed attempt), and throws for what is not an
 * answer (timeout, refused connection, TLS), with a message that says what happened.
 */
export abstract class WebhookTransport {
  abstract post(request: WebhookHttpRequest): Promise<WebhookHttpResponse>;
}
