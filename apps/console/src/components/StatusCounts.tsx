import { useQuery } from '@tanstack/react-query';
import { Space, Tag, Typography } from 'antd';

import { loadOverview } from '../api/overview';
import { REFUND_STATUSES, type RefundStatus } from '../api/types';
import { usePreferences } from '../i18n/preferences';
import { useApi } from '../session/session';

/**
 * How many refunds of each status there are, for the list's gateway (or every gateway), from the
 * overview's indexed counts: a count per filter would cost a scan. Each count sets the status filter.
 */
export function StatusCounts(props: { gateway?: string; onStatus: (status: RefundStatus) => void }) {
  const api = useApi();
  const { t } = usePreferences();
  const overview = useQuery({ queryKey: ['overview'], queryFn: () => loadOverview(api), refetchInterval: 30_000 });
  if (!overview.data) return null;
  const rows = overview.data.gateways.filter((row) => !props.gateway || row.gateway === props.gateway);
  const count = (status: RefundStatus) => rows.reduce((sum, row) => sum + row.byStatus[status], 0);
  return (
    <Space wrap size={4} style={{ marginBottom: 12 }} data-testid="status-counts">
      <Typography.Text type="secondary">
        {props.gateway ? t('countsForGateway', { gateway: props.gateway }) : t('countsForAll')}
      </Typography.Text>
      {REFUND_STATUSES.map((status) => (
        <Tag key={status} style={{ cursor: 'pointer' }} onClick={() => props.onStatus(status)}>
          {status} {count(status)}
        </Tag>
      ))}
    </Space>
  );
}
