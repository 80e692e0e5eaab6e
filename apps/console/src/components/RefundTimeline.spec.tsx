/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';

import type { GatewayExchange, RefundHistoryEntry, WebhookDelivery } from '../api/types';
import { PreferencesProvider } from '../i18n/preferences';
import { RefundTimeline } from './RefundTimeline';

const HOSTILE = '<img src=x onerror=alert(1)>';

const entry = (at: string, overrides: Partial<RefundHistoryEntry>): RefundHistoryEntry => ({
  at,
  from: null,
  to: 'REQUESTED',
  source: 'request',
  applied: true,
  gatewayStatus: null,
  code: null,
  message: null,
  repeats: 0,
  lastHeardAt: null,
  actor: null,
  ...overrides,
});

const exchange: GatewayExchange = {
  id: 'gx_1',
  operation: 'query',
  at: '2025-01-01T00:00:02Z',
  durationMs: 35,
  gatewayStatus: '10',
  code: 'E1',
  message: HOSTILE,
  fields: { refund_status: '10', error_msg: HOSTILE },
  outcome: 'unchanged',
  changed: false,
  repeats: 2,
  lastAt: '2025-01-01T00:00:09Z',
};

describe('RefundTimeline', () => {
  beforeAll(() => {
    // antd's responsive grid asks for media queries; jsdom has none, and no screen matches.
    window.matchMedia ??= ((query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    })) as typeof window.matchMedia;
  });

  it('interleaves history and gateway exchanges by time, with operator, gateway texts and repeats as text', () => {
    const { container } = render(
      <PreferencesProvider initial={{ language: 'en', timeZone: 'UTC' }}>
        <RefundTimeline
          history={[
            entry('2025-01-01T00:00:00Z', {}),
            entry('2025-01-01T00:00:03Z', {
              from: 'PROCESSING',
              to: 'SUCCEEDED',
              source: 'operator',
              actor: 'ops-alice',
              message: 'paid per bank statement',
            }),
          ]}
          exchanges={[exchange]}
        />
      </PreferencesProvider>,
    );

    const items = [...container.querySelectorAll('[data-testid="history-entry"], [data-testid="exchange-entry"]')];
    expect(items.map((item) => item.getAttribute('data-testid'))).toEqual([
      'history-entry',
      'exchange-entry',
      'history-entry',
    ]);
    expect(items[1].textContent).toContain('query');
    expect(items[1].textContent).toContain('heard 2 more times');
    expect(items[1].textContent).toContain(`error_msg=${HOSTILE}`);
    expect(items[2].textContent).toContain('PROCESSING → SUCCEEDED');
    expect(screen.getByText('by ops-alice')).toBeTruthy();
    expect(screen.getByText(/paid per bank statement/)).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('shows each webhook attempt in its place, with the answer, and an error as text', () => {
    const delivery: WebhookDelivery = {
      id: 'wd_1',
      eventId: 'ev_1',
      type: 'refund.succeeded',
      url: 'https://shop.example/hooks',
      status: 'pending',
      nextAttemptAt: '2025-01-01T00:01:00Z',
      createdAt: '2025-01-01T00:00:03Z',
      finishedAt: null,
      attempts: [
        { at: '2025-01-01T00:00:04Z', durationMs: 12.6, httpStatus: 500, error: HOSTILE },
        { at: '2025-01-01T00:00:06Z', durationMs: 8, httpStatus: 204, error: null },
      ],
    };
    const { container } = render(
      <PreferencesProvider initial={{ language: 'en', timeZone: 'UTC' }}>
        <RefundTimeline history={[entry('2025-01-01T00:00:05Z', {})]} exchanges={[]} webhooks={[delivery]} />
      </PreferencesProvider>,
    );

    const items = [...container.querySelectorAll('[data-testid="history-entry"], [data-testid="webhook-entry"]')];
    expect(items.map((item) => item.getAttribute('data-testid'))).toEqual([
      'webhook-entry',
      'history-entry',
      'webhook-entry',
    ]);
    expect(items[0].textContent).toContain('webhook refund.succeeded');
    expect(items[0].textContent).toContain('500');
    expect(items[0].textContent).toContain('13 ms');
    expect(items[0].textContent).toContain(HOSTILE);
    expect(items[2].textContent).toContain('204');
    expect(container.querySelector('img')).toBeNull();
  });
});
