import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';

import { FILTER_KEYS, REFUND_STATUSES, type RefundFilter, type RefundView } from '../api/types';
import { Money } from '../components/Money';
import { StatusCounts } from '../components/StatusCounts';
import { StatusTag } from '../components/StatusTag';
import { Time } from '../components/Time';
import { usePreferences } from '../i18n/preferences';
import { useApi } from '../session/session';

const PAGE_SIZE = 50;

/** The filter as the page's URL holds it: the link reproduces the list. */
export function filterFromSearch(search: URLSearchParams): RefundFilter {
  const filter: RefundFilter = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

/** `datetime-local` input value (the browser's zone) ⇄ the RFC 3339 instant the API takes. */
function toInstant(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
function toLocalInput(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

type FormValues = Omit<RefundFilter, 'cursor' | 'order'>;

export function Refunds() {
  const api = useApi();
  const { t, age } = usePreferences();
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  const [form] = Form.useForm<FormValues>();

  const page = useQuery({
    queryKey: ['refunds', filter],
    queryFn: () => api.refunds(filter, PAGE_SIZE),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });

  const setFilter = (next: RefundFilter) => {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = next[key];
      if (value) params.set(key, value);
    }
    setSearch(params);
  };

  const apply = (values: FormValues) => {
    setFilter({
      ...values,
      createdFrom: toInstant(values.createdFrom),
      createdTo: toInstant(values.createdTo),
      order: filter.order,
    });
  };

  const sortOrder: SortOrder = filter.order === 'asc' ? 'ascend' : 'descend';
  const now = Date.now();

  return (
    <div>
      <Typography.Title level={3}>{t('refundsTitle')}</Typography.Title>
      <Form<FormValues>
        form={form}
        layout="inline"
        onFinish={apply}
        key={search.toString()}
        initialValues={{
          ...filter,
          createdFrom: toLocalInput(filter.createdFrom),
          createdTo: toLocalInput(filter.createdTo),
        }}
        style={{ rowGap: 8, marginBottom: 16 }}
      >
        <Form.Item name="status" label={t('filterStatus')}>
          <Select
            allowClear
            placeholder={t('filterAny')}
            style={{ width: 140 }}
            options={REFUND_STATUSES.map((s) => ({ value: s, label: s }))}
            data-testid="filter-status"
          />
        </Form.Item>
        <Form.Item name="needsAttention" label={t('filterNeedsAttention')}>
          <Select
            allowClear
            placeholder={t('filterAny')}
            style={{ width: 100 }}
            options={[
              { value: 'true', label: t('yes') },
              { value: 'false', label: t('no') },
            ]}
            data-testid="filter-needs-attention"
          />
        </Form.Item>
        <Form.Item name="gateway" label={t('gateway')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="merchantId" label={t('merchant')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="refundNo" label={t('refundNo')}>
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="merchantOrderNo" label={t('merchantOrderNo')}>
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="gatewayOrderNo" label={t('gatewayOrderNo')}>
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="createdFrom" label={t('createdFrom')}>
          <Input type="datetime-local" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="createdTo" label={t('createdTo')}>
          <Input type="datetime-local" style={{ width: 200 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('apply')}
          </Button>
          <Button onClick={() => setFilter({})}>{t('reset')}</Button>
          <Button
            onClick={() => {
              void navigator.clipboard?.writeText(window.location.href).then(() => message.success(t('linkCopied')));
            }}
          >
            {t('copyLink')}
          </Button>
        </Space>
      </Form>
      <StatusCounts
        gateway={filter.gateway}
        onStatus={(status) => setFilter({ ...filter, status, cursor: undefined })}
      />
      {page.isError && (
        <Alert type="error" showIcon title={t('error', { message: page.error.message })} style={{ marginBottom: 16 }} />
      )}
      <Table<RefundView>
        rowKey="id"
        loading={page.isFetching && !page.data}
        dataSource={page.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('noRefunds') }}
        onChange={(_pagination, _filters, sorter) => {
          const order = (Array.isArray(sorter) ? sorter[0] : sorter)?.order;
          setFilter({ ...filter, cursor: undefined, order: order === 'ascend' ? 'asc' : undefined });
        }}
        columns={[
          {
            title: t('refundNo'),
            dataIndex: 'refundNo',
            render: (refundNo: string, row) => <Link to={`/refunds/${encodeURIComponent(row.id)}`}>{refundNo}</Link>,
          },
          { title: t('gateway'), dataIndex: 'gateway' },
          { title: t('merchant'), dataIndex: 'merchantId' },
          { title: t('merchantOrderNo'), key: 'order', render: (_, row) => row.order.merchantOrderNo ?? '—' },
          { title: t('amount'), dataIndex: 'amount', align: 'right', render: (fen: number) => <Money fen={fen} /> },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (_, row) => (
              <Space size={4}>
                <StatusTag status={row.status} />
                {row.needsAttention && <Tag color="red">{t('needsAttention')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('created'),
            dataIndex: 'createdAt',
            sorter: true,
            sortOrder,
            sortDirections: ['descend', 'ascend', 'descend'],
            showSorterTooltip: { title: sortOrder === 'ascend' ? t('oldestFirst') : t('newestFirst') },
            render: (iso: string) => <Time iso={iso} />,
          },
          {
            title: t('age'),
            key: 'age',
            render: (_, row) =>
              age(((row.finishedAt ? Date.parse(row.finishedAt) : now) - Date.parse(row.createdAt)) / 1000),
          },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={!filter.cursor} onClick={() => setFilter({ ...filter, cursor: undefined })}>
          {t('firstPage')}
        </Button>
        <Button
          disabled={!page.data?.nextCursor}
          onClick={() => setFilter({ ...filter, cursor: page.data?.nextCursor ?? undefined })}
        >
          {t('nextPage')}
        </Button>
      </Space>
    </div>
  );
}
