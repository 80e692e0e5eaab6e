import type { ApiClient } from './client';
import type { RefundStatus } from './types';

/** What the overview page shows. */
export interface Overview {
  gateways: GatewayOverview[];
  /** Outbox events not yet delivered to every listener; null for a key that may not see the outbox. */
  outboxBacklog: number | null;
  /** Webhooks given up (their schedule ran out) or failing their current tries. */
  failingWebhooks: number;
}

export interface GatewayOverview {
  gateway: string;
  byStatus: Record<RefundStatus, number>;
  needsAttention: number;
  /** The oldest REQUESTED, PROCESSING or UNKNOWN refund, when there is one. */
  oldestUnfinished: { id: string; createdAt: string; ageSeconds: number } | null;
}

/** `GET /overview`, as the API answers it (the refunds the key may see). */
export interface OverviewAnswer {
  at: string;
  gateways: Array<{
    gateway: string;
    total: number;
    byStatus: Record<RefundStatus, number>;
    needsAttention: { total: number; byReason: Record<string, number> };
    oldestUnfinished: { id: string; createdAt: string; ageSeconds: number } | null;
  }>;
  webhooks: { givenUp: number; failing: number };
  outbox: { pending: number; failing: number; poisoned: number } | null;
}

export async function loadOverview(api: ApiClient): Promise<Overview> {
  return toOverview(await api.request<OverviewAnswer>('GET', '/overview'));
}

export function toOverview(answer: OverviewAnswer): Overview {
  return {
    gateways: answer.gateways
      .map((row) => ({
        gateway: row.gateway,
        byStatus: row.byStatus,
        needsAttention: row.needsAttention.total,
        oldestUnfinished: row.oldestUnfinished,
      }))
      .sort((a, b) => a.gateway.localeCompare(b.gateway)),
    outboxBacklog: answer.outbox?.pending ?? null,
    failingWebhooks: answer.webhooks.givenUp + answer.webhooks.failing,
  };
}
