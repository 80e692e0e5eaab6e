import { Tag } from 'antd';

import type { RefundStatus } from '../api/types';

const COLOURS: Record<RefundStatus, string> = {
  REQUESTED: 'default',
  PROCESSING: 'processing',
  UNKNOWN: 'warning',
  SUCCEEDED: 'success',
  FAILED: 'error',
};

export function StatusTag({ status }: { status: RefundStatus }) {
  return <Tag color={COLOURS[status] ?? 'default'}>{status}</Tag>;
}
