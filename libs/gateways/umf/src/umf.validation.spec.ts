import { gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

import { umfNotifyUrl } from './umf.notify-url';
import { UMF_MAX_AMOUNT, validateUmfRefund } from './umf.validation';

type Overrides = Parameters<typeof gatewayRefundRequest>[0];
const fields = (overrides: Overrides) =>
  validateUmfRefund(gatewayRefundRequest(overrides)).problems.map((p) => p.field);
const refusals = (overrides: Overrides) => validateUmfRefund(gatewayRefundRequest(overrides)).refusals;

describe('UMF validation', () => {
  it('accepts the builder request', () => {
    expect(validateUmfRefund(gatewayRefundRequest())).toEqual({ problems: [], refusals: [] });
  });

  it.each([null, '', 'CASH', 'wechat pay'])('refuses pay method %p, naming order.payMethod', (payMethod) => {
    const [problem] = validateUmfRefund(gatewayRefundRequest({ order: { payMethod } })).problems;
    expect(problem).toEqual({ field: 'order.payMethod', message: expect.stringContaining('ALIPAY, WECHAT') });
  });

  it.each(['ALIPAY', 'WECHAT', 'UNIONPAY', 'AL', 'WX', 'YL', 'wechat'])('accepts pay method %s', (payMethod) => {
    expect(fields({ order: { payMethod } })).toEqual([]);
  });

  it('needs the paid time: it gives orderDate and the window', () => {
    expect(fields({ order: { paidAt: null } })).toEqual(['order.paidAt']);
    expect(fields({ order: { paidAt: new Date(Number.NaN) } })).toEqual(['order.paidAt']);
  });

  it('limits refundPartnerOrderId to 32 printable characters', () => {
    expect(fields({ refundNo: 'R'.repeat(32) })).toEqual([]);
    expect(fields({ refundNo: 'R'.repeat(33) })).toEqual(['refundNo']);
    expect(fields({ refundNo: 'R 1' })).toEqual(['refundNo']);
    expect(fields({ refundNo: '' })).toEqual(['refundNo']);
  });

  it('needs the merchant order number (partnerOrderId), at most 32 characters', () => {
    expect(fields({ order: { merchantOrderNo: null, gatewayOrderNo: 'G1' } })).toEqual(['order.merchantOrderNo']);
    expect(fields({ order: { merchantOrderNo: 'T'.repeat(33) } })).toEqual(['order.merchantOrderNo']);
  });

  it('limits the amount to whole fen within 13 digits', () => {
    expect(fields({ amount: UMF_MAX_AMOUNT })).toEqual([]);
    for (const amount of [0, 1.5, UMF_MAX_AMOUNT + 1]) expect(fields({ amount })).toEqual(['amount']);
  });

  it('checks shopNo and operator gateway options when given', () => {
    expect(fields({ gatewayOptions: { shopNo: 'S1', operator: 'op' } })).toEqual([]);
    expect(fields({ gatewayOptions: { shopNo: 7, operator: 'o'.repeat(33) } })).toEqual([
      'gatewayOptions.shopNo',
      'gatewayOptions.operator',
    ]);
  });

  describe('90-day window, China calendar days', () => {
    // Paid 2025-10-01 23:59:59 China time (15:59:59 UTC); day 90 is 2025-12-30 in China.
    const paidAt = new Date('2025-10-01T15:59:59Z');

    it('is open until the end of the 90th China day', () => {
      expect(refusals({ order: { paidAt }, now: new Date('2025-12-30T15:59:59Z') })).toEqual([]);
    });

    it('is closed from China midnight starting day 91, with REFUND_WINDOW_CLOSED', () => {
      expect(refusals({ order: { paidAt }, now: new Date('2025-12-30T16:00:00Z') })).toEqual([
        {
          code: 'REFUND_WINDOW_CLOSED',
          message: expect.stringContaining('91 days ago'),
          details: { gateway: 'umf', paidAt: paidAt.toISOString(), windowDays: 90 },
        },
      ]);
    });

    it('counts China dates, not 24-hour periods: paid at 00:00:01 China, open until 23:59:59 of day 90', () => {
      const early = new Date('2025-09-30T16:00:01Z');
      expect(refusals({ order: { paidAt: early }, now: new Date('2025-12-30T15:59:59Z') })).toEqual([]);
      expect(refusals({ order: { paidAt: early }, now: new Date('2025-12-30T16:00:00Z') })).toHaveLength(1);
    });
  });
});

describe('UMF notifyUrl rule', () => {
  it.each([
    'https://api.example.com/notify/umf',
    'http://api.example.com:8080/notify/umf?merchant=30000101&x=%20',
    'https://10.0.0.1/notify',
    'https://api-1.example.com',
  ])('sends %s', (url) => {
    expect(umfNotifyUrl(url)).toEqual({ url });
  });

  it.each([
    'ftp://api.example.com/notify',
    'https://api.example.com/notify/umf_v2',
    'https://api.example.com/notify/umf-v2',
    'https://api.example.com/notify#x',
    'https://user@api.example.com/notify',
    'https://api.example.com/a.b',
    '/notify/umf',
    `https://api.example.com/${'a'.repeat(250)}`,
  ])('leaves out %s, saying why', (url) => {
    expect(umfNotifyUrl(url)).toEqual({ omitted: expect.any(String) });
  });

  it('has nothing to send without a URL', () => {
    expect(umfNotifyUrl(null)).toBeNull();
    expect(umfNotifyUrl('')).toBeNull();
  });
});
