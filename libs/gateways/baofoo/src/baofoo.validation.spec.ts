import type { GatewayRefundRequest } from '@refundhub/core';
import { gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

import { validateBaofooRefund } from './baofoo.validation';

type Overrides = Parameters<typeof gatewayRefundRequest>[0];

const request = (overrides: Overrides = {}): GatewayRefundRequest =>
  gatewayRefundRequest({ merchantId: '100000', amount: 100, ...overrides });
const fields = (overrides: Overrides = {}) => validateBaofooRefund(request(overrides)).problems.map((p) => p.field);
const messages = (overrides: Overrides = {}) =>
  validateBaofooRefund(request(overrides)).problems.map((p) => `${p.field}: ${p.message}`);

describe('Baofoo validation', () => {
  it('accepts a plain request', () => {
    expect(validateBaofooRefund(request())).toEqual({ problems: [], refusals: [] });
  });

  it('requires a refund reason of at most 128 characters', () => {
    expect(fields({ reason: null })).toEqual(['reason']);
    expect(fields({ reason: '  ' })).toEqual(['reason']);
    expect(fields({ reason: '退'.repeat(128) })).toEqual([]);
    expect(fields({ reason: '退'.repeat(129) })).toEqual(['reason']);
  });

  it('takes refund numbers of 1 to 50 letters, digits and _', () => {
    expect(fields({ refundNo: 'R_2026_01' })).toEqual([]);
    expect(fields({ refundNo: 'R'.repeat(50) })).toEqual([]);
    expect(fields({ refundNo: 'R'.repeat(51) })).toEqual(['refundNo']);
    expect(fields({ refundNo: 'R-1' })).toEqual(['refundNo']);
    expect(fields({ refundNo: 'R 1' })).toEqual(['refundNo']);
  });

  it('needs an order reference of at most 32 characters, a merId of at most 16, a positive amount', () => {
    expect(fields({ order: { merchantOrderNo: null, gatewayOrderNo: null } })).toEqual(['order.merchantOrderNo']);
    expect(fields({ order: { merchantOrderNo: 'T'.repeat(33) } })).toEqual(['order.merchantOrderNo']);
    expect(fields({ order: { merchantOrderNo: 'T'.repeat(33), gatewayOrderNo: 'BF1' } })).toEqual([]);
    expect(fields({ order: { gatewayOrderNo: 'B'.repeat(33) } })).toEqual(['order.gatewayOrderNo']);
    expect(fields({ merchantId: '1'.repeat(17) })).toEqual(['merchantId']);
    expect(fields({ amount: 0 })).toEqual(['amount']);
    expect(fields({ amount: 1.5 })).toEqual(['amount']);
  });

  it('requires the order paid time', () => {
    expect(fields({ order: { paidAt: null } })).toEqual(['order.paidAt']);
    expect(fields({ order: { paidAt: new Date('invalid') } })).toEqual(['order.paidAt']);
  });

  describe('the one-year window, in China calendar days', () => {
    // Paid 2025-01-05 23:59 China time (15:59 UTC).
    const paidAt = new Date('2025-01-05T15:59:00Z');
    const refusals = (now: string) => validateBaofooRefund(request({ now: new Date(now), order: { paidAt } })).refusals;

    it('is open on the 365th day, to its last China minute', () => {
      expect(refusals('2026-01-05T15:59:59Z')).toEqual([]);
    });

    it('is closed from the next China midnight: 422 REFUND_WINDOW_CLOSED', () => {
      expect(refusals('2026-01-05T16:00:00Z')).toEqual([
        {
          code: 'REFUND_WINDOW_CLOSED',
          message: expect.stringContaining('366 days ago'),
          details: { gateway: 'baofoo', paidAt: paidAt.toISOString(), windowDays: 365 },
        },
      ]);
    });
  });

  describe('gatewayOptions', () => {
    const options = (gatewayOptions: Record<string, unknown>, amount = 100) => messages({ amount, gatewayOptions });

    it('accepts sharing, marketing and advance parts that add up', () => {
      expect(
        options(
          {
            sharingRefundInfo: [
              { sharingMerId: '100001', sharingAmt: 100 },
              { sharingMerId: '100002', sharingAmt: 20 },
            ],
            mktRefundInfo: { mktMerId: '100000', mktAmt: 30 },
            advanceAmt: 10,
          },
          100,
        ),
      ).toEqual([]);
    });

    it('names the field of every malformed part', () => {
      expect(
        options({
          sharingRefundInfo: [{ sharingMerId: '100001', sharingAmt: 10 }, { sharingMerId: 100002, sharingAmt: 0 }, 'x'],
          mktRefundInfo: { mktMerId: '1'.repeat(17), mktAmt: '30' },
          advanceAmt: -1,
          foo: 1,
        }).map((m) => m.split(':')[0]),
      ).toEqual([
        'gatewayOptions.foo',
        'gatewayOptions.sharingRefundInfo[1].sharingMerId',
        'gatewayOptions.sharingRefundInfo[1].sharingAmt',
        'gatewayOptions.sharingRefundInfo[2]',
        'gatewayOptions.mktRefundInfo.mktMerId',
        'gatewayOptions.mktRefundInfo.mktAmt',
        'gatewayOptions.advanceAmt',
      ]);
      expect(options({ sharingRefundInfo: [] })).toEqual([
        'gatewayOptions.sharingRefundInfo: must be a non-empty array of { sharingMerId, sharingAmt }',
      ]);
      expect(options({ mktRefundInfo: [1] }).map((m) => m.split(':')[0])).toEqual(['gatewayOptions.mktRefundInfo']);
    });

    it('refuses sharing parts and advance beyond the total (amount + mktAmt)', () => {
      const sharing = (amounts: number[]) =>
        amounts.map((sharingAmt, i) => ({ sharingMerId: `10000${i}`, sharingAmt }));
      expect(options({ sharingRefundInfo: sharing([60, 40]) })).toEqual([]);
      expect(options({ sharingRefundInfo: sharing([60, 41]) })).toEqual([
        "gatewayOptions.sharingRefundInfo: sharing parts (101 fen) plus advanceAmt (0 fen) exceed the refund's total of 100 fen (amount + mktRefundInfo.mktAmt)",
      ]);
      expect(
        options({ sharingRefundInfo: sharing([60, 41]), mktRefundInfo: { mktMerId: '100000', mktAmt: 1 } }),
      ).toEqual([]);
      expect(options({ sharingRefundInfo: sharing([60]), advanceAmt: 41 }).map((m) => m.split(':')[0])).toEqual([
        'gatewayOptions.sharingRefundInfo',
      ]);
      expect(options({ advanceAmt: 101 }).map((m) => m.split(':')[0])).toEqual(['gatewayOptions.advanceAmt']);
    });
  });
});
