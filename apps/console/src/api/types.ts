/** The REST API's shapes the console reads (see docs/openapi.json). Amounts are fen. */

export const REFUND_STATUSES = ['REQUESTED', 'PROCESSING', 'UNKNOWN', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export const UNFINISHED_STATUSES: readonly RefundStatus[] = ['REQUESTED', 'PROCESSING', 'UNKNOWN'];

export interface Me {
  name: string;
  merchants: string[];
  scopes: string[];
}

export interface RefundView {
  id: string;
  gateway: string;
  merchantId: string;
  refundNo: string;
  amount: number;
  status: RefundStatus;
  gatewayRefundNo: string | null;
  order: {
    merchantOrderNo: string | null;
    gatewayOrderNo: string | null;
    totalAmount: number;
    refundedAmount: number;
    reservedAmount: number;
  };
  reason: string | null;
  notifyUrl: string | null;
  failure: { code: string; message: string } | null;
  needsAttention: { reason: string; since: string } | null;
  deferredAt: string | null;
  gatewayStatus: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RefundHistoryEntry {
  at: string;
  from: RefundStatus | null;
  to: RefundStatus;
  source: string;
  applied: boolean;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
  repeats: number;
  lastHeardAt: string | null;
  actor: string | null;
}

export interface GatewayExchange {
  id: string;
  operation: 'submit' | 'query' | 'notification';
  at: string;
  durationMs: number | null;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
  /** Keys, signatures and customer data arrive as `[redacted]`; null for a forged notification. */
  fields: Record<string, string | number | boolean> | null;
  outcome: 'applied' | 'unchanged' | 'rejected_forged' | 'mismatched' | 'unknown';
  changed: boolean;
  repeats: number;
  lastAt: string | null;
}

export interface WebhookAttempt {
  at: string;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: string | null;
  createdAt: string;
  finishedAt: string | null;
  attempts: WebhookAttempt[];
}

/** The filters of `GET /refunds`, as strings (they travel in the page's URL too). */
export interface RefundFilter {
  status?: string;
  gateway?: string;
  merchantId?: string;
  needsAttention?: string;
  createdFrom?: string;
  createdTo?: string;
  refundNo?: string;
  merchantOrderNo?: string;
  gatewayOrderNo?: string;
  order?: string;
  cursor?: string;
}

export const FILTER_KEYS: readonly (keyof RefundFilter)[] = [
  'status',
  'gateway',
  'merchantId',
  'needsAttention',
  'createdFrom',
  'createdTo',
  'refundNo',
  'merchantOrderNo',
  'gatewayOrderNo',
  'order',
  'cursor',
];
