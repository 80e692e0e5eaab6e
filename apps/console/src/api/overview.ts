import { ApiClient, ApiError } from './client';
import { REFUND_STATUSES, type RefundStatus } from './types';

/** What the overview page shows; the shape `GET /refunds/overview` answers. */
export interface Overview {
  gateways: GatewayOverview[];
  /** Outbox events not yet delivered to every listener. */
  outboxBacklog: number | null;
  /** Webhooks given up (their schedule ran out, or the target refused them). */
  failingWebhooks: number | null;
  /** Where the figures came from: the overview route, or the metrics while that route is missing. */
  source: 'overview' | 'metrics';
}

export interface GatewayOverview {
  gateway: string;
  byStatus: Record<RefundStatus, number>;
  needsAttention: number;
  /** The oldest REQUESTED, PROCESSING or UNKNOWN refund, when there is one. */
  oldestUnfinished: { id: string | null; createdAt: string | null; ageSeconds: number } | null;
}

/**
 * The overview, from `GET /refunds/overview`; while the API has no such route (404), from
 * `GET /metrics`, whose gauges are read from the database at each scrape and carry the same
 * figures by gateway (without the oldest refund's id). Switching is this one function.
 */
export async function loadOverview(api: ApiClient): Promise<Overview> {
  try {
    const overview = await api.request<Omit<Overview, 'source'>>('GET', '/refunds/overview');
    return { ...overview, source: 'overview' };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  return overviewFromMetrics(await api.metrics());
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line.trim());
    if (!match || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label[1]] = label[2].replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

export function overviewFromMetrics(text: string): Overview {
  const samples = parsePrometheus(text);
  const gateways = new Map<string, GatewayOverview>();
  const gatewayOf = (name: string): GatewayOverview => {
    let found = gateways.get(name);
    if (!found) {
      const byStatus = Object.fromEntries(REFUND_STATUSES.map((s) => [s, 0])) as Record<RefundStatus, number>;
      found = { gateway: name, byStatus, needsAttention: 0, oldestUnfinished: null };
      gateways.set(name, found);
    }
    return found;
  };
  let outboxBacklog: number | null = null;
  let failingWebhooks: number | null = null;
  for (const { name, labels, value } of samples) {
    switch (name) {
      case 'refundhub_refunds':
        if (labels.gateway && (REFUND_STATUSES as readonly string[]).includes(labels.status)) {
          gatewayOf(labels.gateway).byStatus[labels.status as RefundStatus] = value;
        }
        break;
      case 'refundhub_refunds_needing_attention':
        if (labels.gateway) gatewayOf(labels.gateway).needsAttention += value;
        break;
      case 'refundhub_oldest_unfinished_refund_age_seconds':
        if (labels.gateway) {
          gatewayOf(labels.gateway).oldestUnfinished =
            value > 0 ? { id: null, createdAt: null, ageSeconds: Math.round(value) } : null;
        }
        break;
      case 'refundhub_outbox_pending_events':
        outboxBacklog = value;
        break;
      case 'refundhub_webhook_deliveries_given_up':
        failingWebhooks = value;
        break;
      default:
        break;
    }
  }
  return {
    gateways: [...gateways.values()].sort((a, b) => a.gateway.localeCompare(b.gateway)),
    outboxBacklog,
    failingWebhooks,
    source: 'metrics',
  };
}
