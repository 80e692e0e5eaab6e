import type { GatewayExchange, Me, Page, RefundFilter, RefundHistoryEntry, RefundView, WebhookDelivery } from './types';
import { FILTER_KEYS } from './types';

/** An answer other than 2xx: its status, and the API's error code and message when it sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; errors?: unknown };
    let message = typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
    // A 400 names each field it refused: say which, so a filter the API does not take is obvious.
    if (Array.isArray(body.errors)) {
      const fields = (body.errors as { field?: unknown; message?: unknown }[])
        .map((e) => `${String(e.field)}: ${String(e.message)}`)
        .join('; ');
      if (fields) message = `${message} (${fields})`;
    }
    return new ApiError(response.status, typeof body.code === 'string' ? body.code : null, message);
  } catch {
    return new ApiError(response.status, null, text.slice(0, 200) || `HTTP ${response.status}`);
  }
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The REST API, called with one API key. Same origin as the page: the console is served by the API.
 * A 401 tells `onUnauthorized` (the session signs out) before the error reaches the caller.
 */
export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly onUnauthorized: (error: ApiError) => void = () => undefined,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) {
      const error = await errorOf(response);
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }

  me(): Promise<Me> {
    return this.request('GET', '/me');
  }

  refunds(filter: RefundFilter, limit = 50): Promise<Page<RefundView>> {
    const params: Record<string, string | number | undefined> = { limit };
    for (const key of FILTER_KEYS) params[key] = filter[key];
    return this.request('GET', `/refunds${query(params)}`);
  }

  refund(id: string): Promise<RefundView> {
    return this.request('GET', `/refunds/${encodeURIComponent(id)}`);
  }

  history(id: string, cursor?: string): Promise<Page<RefundHistoryEntry>> {
    return this.request('GET', `/refunds/${encodeURIComponent(id)}/history${query({ cursor, limit: 100 })}`);
  }

  exchanges(id: string, cursor?: string): Promise<Page<GatewayExchange>> {
    return this.request('GET', `/refunds/${encodeURIComponent(id)}/exchanges${query({ cursor, limit: 100 })}`);
  }

  webhooks(id: string): Promise<Page<WebhookDelivery>> {
    return this.request('GET', `/refunds/${encodeURIComponent(id)}/webhooks`);
  }

  sync(id: string): Promise<RefundView> {
    return this.request('POST', `/refunds/${encodeURIComponent(id)}/sync`);
  }

  resolve(id: string, body: { status: 'SUCCEEDED' | 'FAILED'; reason: string }): Promise<RefundView> {
    return this.request('POST', `/refunds/${encodeURIComponent(id)}/resolve`, body);
  }

  retryWebhook(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.request('POST', `/refunds/${encodeURIComponent(id)}/webhooks/${encodeURIComponent(deliveryId)}/retry`);
  }
}

/** The demo's key, when the API runs the demo (it answers 404 anywhere else). */
export async function demoApiKey(): Promise<string | null> {
  try {
    const response = await fetch('/console/demo.json', { cache: 'no-store', credentials: 'omit' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return null;
    const body = (await response.json()) as { apiKey?: unknown };
    return typeof body.apiKey === 'string' ? body.apiKey : null;
  } catch {
    return null;
  }
}
