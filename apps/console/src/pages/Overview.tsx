import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';

import { loadOverview, type GatewayOverview } from '../api/overview';
import { REFUND_STATUSES } from '../api/types';
import { usePreferences } from '../i18n/preferences';
import { useApi } from '../session/session';

const REFRESH_MS = 15_000;

export function Overview() {
  const api = useApi();
  const { t, age } = usePreferences();
  const overview = useQuery({
    queryKey: ['overview'],
    queryFn: () => loadOverview(api),
    refetchInterval: REFRESH_MS,
  });

  if (overview.isPending) return <Typography.Text>{t('loading')}</Typography.Text>;
  if (overview.isError) return <Alert type="error" title={t('error', { message: overview.error.message })} />;
  const data = overview.data;
  const total = (row: GatewayOverview) => REFUND_STATUSES.reduce((sum, s) => sum + row.byStatus[s], 0);

  return (
    <div>
      <Typography.Title level={3}>{t('overviewTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('overviewFromApi')}</Typography.Paragraph>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col>
          <Card>
            <Statistic
              title={t('needsAttention')}
              value={data.gateways.reduce((sum, g) => sum + g.needsAttention, 0)}
            />
            <Link to="/refunds?needsAttention=true">{t('navRefunds')}</Link>
          </Card>
        </Col>
        <Col>
          <Card>
            <Statistic title={t('outboxBacklog')} value={data.outboxBacklog ?? '—'} />
          </Card>
        </Col>
        <Col>
          <Card>
            <Statistic title={t('failingWebhooks')} value={data.failingWebhooks} />
          </Card>
        </Col>
      </Row>
      <Table<GatewayOverview>
        rowKey="gateway"
        pagination={false}
        dataSource={data.gateways}
        columns={[
          {
            title: t('gateway'),
            dataIndex: 'gateway',
            render: (gateway: string) => <Link to={`/refunds?gateway=${encodeURIComponent(gateway)}`}>{gateway}</Link>,
          },
          ...REFUND_STATUSES.map((status) => ({
            title: status,
            key: status,
            render: (_: unknown, row: GatewayOverview) => (
              <Link to={`/refunds?gateway=${encodeURIComponent(row.gateway)}&status=${status}`}>
                {row.byStatus[status]}
              </Link>
            ),
          })),
          { title: 'Σ', key: 'total', render: (_: unknown, row: GatewayOverview) => total(row) },
          {
            title: t('needsAttention'),
            dataIndex: 'needsAttention',
            render: (count: number, row: GatewayOverview) =>
              count > 0 ? (
                <Link to={`/refunds?gateway=${encodeURIComponent(row.gateway)}&needsAttention=true`}>
                  <Typography.Text type="danger">{count}</Typography.Text>
                </Link>
              ) : (
                count
              ),
          },
          {
            title: t('oldestUnfinished'),
            key: 'oldest',
            render: (_: unknown, row: GatewayOverview) => {
              const oldest = row.oldestUnfinished;
              if (!oldest) return t('none');
              const text = age(oldest.ageSeconds);
              return oldest.id ? <Link to={`/refunds/${encodeURIComponent(oldest.id)}`}>{text}</Link> : text;
            },
          },
        ]}
      />
    </div>
  );
}
