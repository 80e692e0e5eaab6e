import type { RequestRefundCommand } from './request-refund.command';
import { checkRefundCommand, isWithin, unreadableFields, withPlaceholders } from './command-checks';

const cmd = (overrides: Partial<RequestRefundCommand> = {}): RequestRefundCommand => ({
  gateway: 'fake',
  merchantId: 'm1',
  refundNo: 'R1',
  amount: 100,
  order: { merchantOrderNo: 'T1', gatewayOrderNo: null, totalAmount: 300, paidAt: null, payMethod: 'WECHAT' },
  reason: 'returned',
  notifyUrl: null,
  gatewayOptions: { campaign: 'x' },
  ...overrides,
});

describe('isWithin', () => {
  const fields = new Set(['order', 'refundNo']);

  it.each([
    ['order', true],
    ['order.payMethod', true],
    ['refundNo', true],
    ['refundNoSuffix', false],
    ['ord', false],
    ['amount', false],
    ['gatewayNotifyUrl', false],
  ])('%s: %s', (field, within) => {
    expect(isWithin(field, fields)).toBe(within);
  });
});

describe('unreadableFields', () => {
  it("makes an order's references unreadable for a problem on the order itself, not the whole order", () => {
    expect(unreadableFields({ field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' }, cmd())).toEqual([
      'order.merchantOrderNo',
      'order.gatewayOrderNo',
    ]);
    expect(unreadableFields({ field: 'amount', message: 'x' }, cmd())).toEqual(['amount']);
  });

  it('makes a missing order unreadable as a whole', () => {
    const missing = { ...cmd(), order: undefined } as unknown as RequestRefundCommand;
    expect(unreadableFields({ field: 'order', message: 'is required' }, missing)).toEqual(['order']);
  });
});

describe('withPlaceholders', () => {
  it('returns the command itself when nothing is malformed', () => {
    const command = cmd();
    expect(withPlaceholders(command, new Set())).toBe(command);
  });

  it('replaces the malformed fields only, with values that pass the money rules', () => {
    const bad = cmd({ refundNo: '', amount: 1.5, reason: 'r', notifyUrl: 'ftp://x' });
    const complete = withPlaceholders(bad, new Set(['refundNo', 'amount', 'notifyUrl']));
    expect(complete).toEqual({ ...bad, refundNo: 'X', amount: 1, notifyUrl: null });
    expect(checkRefundCommand(complete)).toEqual([]);
  });

  it('keeps a well-formed amount within a malformed order total, and a reference for malformed order numbers', () => {
    const bad = cmd({
      amount: 250,
      order: { merchantOrderNo: 'T'.repeat(65), gatewayOrderNo: null, totalAmount: -1, payMethod: 'ALIPAY' },
    });
    const complete = withPlaceholders(bad, new Set(['order.merchantOrderNo', 'order.totalAmount']));
    expect(complete.order).toEqual({
      merchantOrderNo: 'X',
      gatewayOrderNo: null,
      totalAmount: 250,
      paidAt: null,
      payMethod: 'ALIPAY',
    });
    expect(checkRefundCommand(complete)).toEqual([]);
  });

  it('stands in for a whole malformed order, and for every field inside it', () => {
    const bad = { ...cmd(), order: 'T1' } as unknown as RequestRefundCommand;
    const complete = withPlaceholders(bad, new Set(['order', 'gatewayOptions']));
    expect(complete.order).toEqual({
      merchantOrderNo: 'X',
      gatewayOrderNo: 'X',
      totalAmount: 100,
      paidAt: null,
      payMethod: null,
    });
    expect(complete.gatewayOptions).toEqual({});
    expect(checkRefundCommand(complete)).toEqual([]);
  });

  it('leaves out an order that was left out and not reported, for the money rules to require', () => {
    const bad = { ...cmd(), order: undefined } as unknown as RequestRefundCommand;
    const complete = withPlaceholders(bad, new Set(['amount']));
    expect(complete.order).toBeUndefined();
    expect(checkRefundCommand(complete)).toEqual([{ field: 'order', message: 'is required' }]);
  });
});
