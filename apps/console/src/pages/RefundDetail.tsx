import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';

import { ApiError } from '../api/client';
import type { RefundView, WebhookDelivery } from '../api/types';
import { Money } from '../components/Money';
import { RefundTimeline } from '../components/RefundTimeline';
import { StatusTag } from '../components/StatusTag';
import { Time } from '../components/Time';
import { usePreferences } from '../i18n/preferences';
import { useApi, useSession } from '../session/session';

type ActionResult = { type: 'success' | 'error'; text: string };
type Resolution = 'SUCCEEDED' | 'FAILED';

export function RefundDetail() {
  const { id = '' } = useParams();
  const api = useApi();
  const { isOperator } = useSession();
  const { t } = usePreferences();
  const client = useQueryClient();
  const [result, setResult] = useState<ActionResult | null>(null);
  const [resolving, setResolving] = useState(false);

  const refund = useQuery({ queryKey: ['refund', id], queryFn: () => api.refund(id), refetchInterval: 15_000 });
  const history = useInfiniteQuery({
    queryKey: ['refund', id, 'history'],
    queryFn: ({ pageParam }) => api.history(id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const exchanges = useInfiniteQuery({
    queryKey: ['refund', id, 'exchanges'],
    queryFn: ({ pageParam }) => api.exchanges(id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const webhooks = useQuery({ queryKey: ['refund', id, 'webhooks'], queryFn: () => api.webhooks(id) });

  const refresh = () => client.invalidateQueries({ queryKey: ['refund', id] });
  const failed = (error: Error) => setResult({ type: 'error', text: t('actionFailed', { message: error.message }) });
  const sync = useMutation({
    mutationFn: () => api.sync(id),
    onSuccess: (view) => setResult({ type: 'success', text: t('synced', { status: view.status }) }),
    onError: failed,
    onSettled: refresh,
  });
  const resolve = useMutation({
    mutationFn: (body: { status: Resolution; reason: string }) => api.resolve(id, body),
    onSuccess: (view) => {
      setResolving(false);
      setResult({ type: 'success', text: t('resolved', { status: view.status }) });
    },
    onError: (error: Error) => {
      setResolving(false);
      failed(error);
    },
    onSettled: refresh,
  });
  const retry = useMutation({
    mutationFn: (deliveryId: string) => api.retryWebhook(id, deliveryId),
    onSuccess: (delivery) => setResult({ type: 'success', text: t('resent', { status: delivery.status }) }),
    onError: failed,
    onSettled: refresh,
  });

  if (refund.isPending) return <Typography.Text>{t('loading')}</Typography.Text>;
  if (refund.isError) {
    return (
      <Space orientation="vertical">
        <Alert type="error" title={t('error', { message: refund.error.message })} />
        <Link to="/refunds">{t('backToRefunds')}</Link>
      </Space>
    );
  }
  const view = refund.data;
  const final = view.status === 'SUCCEEDED' || view.status === 'FAILED';
  const exchangesMissing = exchanges.error instanceof ApiError && exchanges.error.status === 404;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/refunds">← {t('backToRefunds')}</Link>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('refundTitle', { refundNo: view.refundNo })}
        </Typography.Title>
        <StatusTag status={view.status} />
        {view.needsAttention && <Tag color="red">{t('needsAttention')}</Tag>}
      </Space>
      <Space wrap>
        <Button onClick={() => sync.mutate()} loading={sync.isPending} disabled={final}>
          {t('syncNow')}
        </Button>
        {isOperator && !final && (
          <Button danger onClick={() => setResolving(true)} data-testid="resolve">
            {t('resolve')}
          </Button>
        )}
      </Space>
      {result && (
        <Alert
          type={result.type}
          showIcon
          closable
          title={result.text}
          onClose={() => setResult(null)}
          data-testid="action-result"
        />
      )}
      <RefundFacts view={view} />
      <Card title={t('timeline')}>
        {exchangesMissing && (
          <Alert
            type="info"
            title={t('exchangesNotAvailable')}
            style={{ marginBottom: 16 }}
            data-testid="exchanges-missing"
          />
        )}
        {history.isError && <Alert type="error" title={t('error', { message: history.error.message })} />}
        <RefundTimeline
          history={history.data?.pages.flatMap((p) => p.items) ?? []}
          exchanges={exchangesMissing ? [] : (exchanges.data?.pages.flatMap((p) => p.items) ?? [])}
          webhooks={webhooks.data?.items ?? []}
        />
        <Space>
          {history.hasNextPage && (
            <Button onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
              {t('loadMore')}
            </Button>
          )}
          {!exchangesMissing && exchanges.hasNextPage && (
            <Button onClick={() => void exchanges.fetchNextPage()} loading={exchanges.isFetchingNextPage}>
              {t('loadMore')} ({t('exchanges')})
            </Button>
          )}
        </Space>
      </Card>
      <Card title={t('webhooks')}>
        <Webhooks
          deliveries={webhooks.data?.items ?? []}
          loading={webhooks.isPending}
          onResend={(deliveryId) => retry.mutate(deliveryId)}
          resending={retry.isPending ? retry.variables : undefined}
        />
      </Card>
      <ResolveDialog
        open={resolving}
        busy={resolve.isPending}
        onCancel={() => setResolving(false)}
        onResolve={(body) => resolve.mutate(body)}
      />
    </Space>
  );
}

function RefundFacts({ view }: { view: RefundView }) {
  const { t } = usePreferences();
  const order = view.order;
  const text = (value: string | null | undefined): ReactNode => value || '—';
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
      <Descriptions.Item label="ID">{view.id}</Descriptions.Item>
      <Descriptions.Item label={t('gateway')}>{view.gateway}</Descriptions.Item>
      <Descriptions.Item label={t('merchant')}>{view.merchantId}</Descriptions.Item>
      <Descriptions.Item label={t('amount')}>
        <Money fen={view.amount} />
      </Descriptions.Item>
      <Descriptions.Item label={t('orderTotal')}>
        <Money fen={order.totalAmount} />
      </Descriptions.Item>
      <Descriptions.Item label={t('refunded')}>
        <Money fen={order.refundedAmount} />
      </Descriptions.Item>
      <Descriptions.Item label={t('reserved')}>
        <Money fen={order.reservedAmount} />
      </Descriptions.Item>
      <Descriptions.Item label={t('refundable')}>
        {/* Reserved covers every refund of the order that is not FAILED, the refunded ones included. */}
        <Money fen={order.totalAmount - order.reservedAmount} />
      </Descriptions.Item>
      <Descriptions.Item label={t('merchantOrderNo')}>{text(order.merchantOrderNo)}</Descriptions.Item>
      <Descriptions.Item label={t('gatewayOrderNo')}>{text(order.gatewayOrderNo)}</Descriptions.Item>
      <Descriptions.Item label={t('gatewayRefundNo')}>{text(view.gatewayRefundNo)}</Descriptions.Item>
      <Descriptions.Item label={t('gatewayStatus')}>{text(view.gatewayStatus)}</Descriptions.Item>
      <Descriptions.Item label={t('failure')}>
        <span data-testid="failure">{view.failure ? `${view.failure.code}: ${view.failure.message}` : '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('needsAttention')}>
        {view.needsAttention ? (
          <Space size={4}>
            <Tag color="red">{view.needsAttention.reason}</Tag>
            <Time iso={view.needsAttention.since} />
          </Space>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('reason')}>{text(view.reason)}</Descriptions.Item>
      <Descriptions.Item label={t('attempts')}>{view.attempts}</Descriptions.Item>
      <Descriptions.Item label={t('created')}>
        <Time iso={view.createdAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t('updated')}>
        <Time iso={view.updatedAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t('finished')}>
        <Time iso={view.finishedAt} />
      </Descriptions.Item>
    </Descriptions>
  );
}

function Webhooks({
  deliveries,
  loading,
  onResend,
  resending,
}: {
  deliveries: WebhookDelivery[];
  loading: boolean;
  onResend(deliveryId: string): void;
  resending: string | undefined;
}) {
  const { t } = usePreferences();
  return (
    <Table<WebhookDelivery>
      rowKey="id"
      size="small"
      loading={loading}
      pagination={false}
      dataSource={deliveries}
      locale={{ emptyText: t('noWebhooks') }}
      columns={[
        { title: t('event'), dataIndex: 'type' },
        { title: t('url'), dataIndex: 'url', ellipsis: true },
        { title: t('status'), dataIndex: 'status', render: (status: string) => <Tag>{status}</Tag> },
        { title: t('attempts'), key: 'attempts', render: (_, row) => row.attempts.length },
        {
          title: t('lastAttempt'),
          key: 'last',
          render: (_, row) => {
            const last = row.attempts.at(-1);
            if (!last) return '—';
            return (
              <Space size={4}>
                <Time iso={last.at} />
                <span>{last.httpStatus ?? last.error ?? ''}</span>
              </Space>
            );
          },
        },
        {
          key: 'resend',
          render: (_, row) =>
            row.status === 'delivered' ? null : (
              <Button size="small" onClick={() => onResend(row.id)} loading={resending === row.id}>
                {t('resend')}
              </Button>
            ),
        },
      ]}
    />
  );
}

function ResolveDialog({
  open,
  busy,
  onCancel,
  onResolve,
}: {
  open: boolean;
  busy: boolean;
  onCancel(): void;
  onResolve(body: { status: Resolution; reason: string }): void;
}) {
  const { t } = usePreferences();
  const [form] = Form.useForm<{ status: Resolution; reason: string }>();
  const [confirming, setConfirming] = useState<{ status: Resolution; reason: string } | null>(null);
  const close = () => {
    setConfirming(null);
    form.resetFields();
    onCancel();
  };
  return (
    <Modal
      open={open}
      title={t('resolveTitle')}
      onCancel={close}
      afterClose={() => {
        setConfirming(null);
        form.resetFields();
      }}
      destroyOnHidden
      footer={
        confirming
          ? [
              <Button key="back" onClick={() => setConfirming(null)}>
                {t('cancel')}
              </Button>,
              <Button key="do" danger type="primary" loading={busy} onClick={() => onResolve(confirming)}>
                {t('resolveDo')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                {t('cancel')}
              </Button>,
              <Button key="next" type="primary" onClick={() => form.submit()}>
                {t('resolveNext')}
              </Button>,
            ]
      }
    >
      {confirming ? (
        <Alert type="warning" showIcon title={t('resolveConfirm', { status: confirming.status })} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ status: 'SUCCEEDED' }}
          onFinish={(values) => setConfirming({ status: values.status, reason: values.reason.trim() })}
        >
          <Form.Item name="status" label={t('resolveTo')}>
            <Radio.Group
              options={[
                { value: 'SUCCEEDED', label: 'SUCCEEDED' },
                { value: 'FAILED', label: 'FAILED' },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('resolveReason')}
            rules={[{ required: true, whitespace: true, message: t('resolveReasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={256} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
