import { Space, Tag, Timeline, Typography } from 'antd';

import type { GatewayExchange, RefundHistoryEntry, WebhookAttempt, WebhookDelivery } from '../api/types';
import { usePreferences } from '../i18n/preferences';
import { Time } from './Time';

type TimelineEntry =
  | { kind: 'history'; at: string; entry: RefundHistoryEntry }
  | { kind: 'exchange'; at: string; exchange: GatewayExchange }
  | { kind: 'webhook'; at: string; delivery: WebhookDelivery; attempt: WebhookAttempt };

/** A refund's history, its gateway exchanges and its webhook attempts, one list by time: every text shown as text. */
export function RefundTimeline({
  history,
  exchanges,
  webhooks = [],
}: {
  history: RefundHistoryEntry[];
  exchanges: GatewayExchange[];
  webhooks?: WebhookDelivery[];
}) {
  const { t } = usePreferences();
  const entries: TimelineEntry[] = [
    ...history.map((entry) => ({ kind: 'history' as const, at: entry.at, entry })),
    ...exchanges.map((exchange) => ({ kind: 'exchange' as const, at: exchange.at, exchange })),
    ...webhooks.flatMap((delivery) =>
      delivery.attempts.map((attempt) => ({ kind: 'webhook' as const, at: attempt.at, delivery, attempt })),
    ),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Timeline
      data-testid="timeline"
      items={entries.map((item, index) => {
        if (item.kind === 'history') {
          const e = item.entry;
          return {
            key: `h${index}`,
            color: e.source === 'operator' ? 'red' : e.applied ? 'blue' : 'gray',
            content: (
              <div data-testid="history-entry">
                <Space wrap size={6}>
                  <Time iso={e.at} />
                  <Typography.Text strong>
                    {e.from ? t('historyTransition', { from: e.from, to: e.to }) : e.to}
                  </Typography.Text>
                  <Tag>{t('historySource', { source: e.source })}</Tag>
                  {e.actor && <Tag color="purple">{t('historyBy', { actor: e.actor })}</Tag>}
                  {!e.applied && <Tag>{t('historyNotApplied')}</Tag>}
                  {e.repeats > 0 && <Tag>{t('historyRepeats', { count: e.repeats })}</Tag>}
                </Space>
                {(e.gatewayStatus || e.code || e.message) && (
                  <div>
                    <Typography.Text type="secondary">
                      {[e.gatewayStatus, e.code].filter(Boolean).join(' · ')}
                      {e.message ? ` ${e.message}` : ''}
                    </Typography.Text>
                  </div>
                )}
              </div>
            ),
          };
        }
        if (item.kind === 'webhook') {
          const { delivery, attempt } = item;
          const ok = attempt.httpStatus !== null && attempt.httpStatus >= 200 && attempt.httpStatus < 300;
          return {
            key: `w${index}`,
            color: ok ? 'green' : 'orange',
            content: (
              <div data-testid="webhook-entry">
                <Space wrap size={6}>
                  <Time iso={attempt.at} />
                  <Tag color="geekblue">{t('webhookAttempt', { type: delivery.type })}</Tag>
                  <Tag>{attempt.httpStatus ?? '—'}</Tag>
                  <Typography.Text type="secondary">{Math.round(attempt.durationMs)} ms</Typography.Text>
                </Space>
                {attempt.error && (
                  <div>
                    <Typography.Text type="secondary">{attempt.error}</Typography.Text>
                  </div>
                )}
              </div>
            ),
          };
        }
        const x = item.exchange;
        return {
          key: `x${x.id}`,
          color: 'gray',
          content: (
            <div data-testid="exchange-entry">
              <Space wrap size={6}>
                <Time iso={x.at} />
                <Tag color="cyan">{x.operation}</Tag>
                <Tag>{x.outcome}</Tag>
                {x.durationMs !== null && (
                  <Typography.Text type="secondary">{Math.round(x.durationMs)} ms</Typography.Text>
                )}
                {x.repeats > 0 && <Tag>{t('historyRepeats', { count: x.repeats })}</Tag>}
              </Space>
              <div>
                <Typography.Text type="secondary">
                  {[x.gatewayStatus, x.code, x.message].filter(Boolean).join(' · ')}
                </Typography.Text>
              </div>
              {x.fields && Object.keys(x.fields).length > 0 && (
                <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
                  {Object.entries(x.fields)
                    .map(([name, value]) => `${name}=${String(value)}`)
                    .join('\n')}
                </Typography.Text>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
