import type { FieldProblem } from '../errors';
import { GatewayRegistry } from '../gateway/gateway-registry';
import type { GatewayRefundRequest, GatewayValidation } from '../gateway/refund-gateway.port';
import { RefundSettings } from '../refund-settings';
import { FakeClock } from '../testing/fake-clock';
import { FakeGateway } from '../testing/fake-gateway';
import { RefundService } from './refund.service';
import type { RequestRefundCommand } from './request-refund.command';

/** Limits shaped like ChaoYing's: refund number, amount range, an order number, a pay method; and a rule it always refuses. */
class StrictGateway extends FakeGateway {
  readonly validated: GatewayRefundRequest[] = [];

  constructor() {
    super('strict');
  }

  override validate(request: GatewayRefundRequest): GatewayValidation {
    this.validated.push(request);
    const problems: FieldProblem[] = [];
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(request.refundNo)) problems.push({ field: 'refundNo', message: 'strict: 1-32' });
    if (!Number.isSafeInteger(request.amount) || request.amount < 1 || request.amount > 9_999) {
      problems.push({ field: 'amount', message: 'strict: 1..9999' });
    }
    if (!request.order.merchantOrderNo && !request.order.gatewayOrderNo) {
      problems.push({ field: 'order.merchantOrderNo', message: 'strict: needs an order number' });
    }
    if (!request.order.payMethod) problems.push({ field: 'order.payMethod', message: 'strict: required' });
    if (request.merchantId.length > 10) problems.push({ field: 'merchantId', message: 'strict: at most 10' });
    const refusals = [{ code: 'REFUND_WINDOW_CLOSED', message: 'closed', details: {} }];
    return { problems, refusals };
  }
}

const command = (overrides: Partial<RequestRefundCommand> = {}): RequestRefundCommand => ({
  gateway: 'strict',
  merchantId: 'm1',
  refundNo: 'R1',
  amount: 100,
  order: { merchantOrderNo: 'T1', totalAmount: 300, payMethod: 'WECHAT' },
  ...overrides,
});

describe('RefundService.check', () => {
  let gateway: StrictGateway;
  let sut: RefundService;

  beforeEach(() => {
    gateway = new StrictGateway();
    const registry = new GatewayRegistry(undefined as never);
    registry.register(gateway);
    // Nothing but the registry, the settings and the clock: check() has no database, ledger or events to touch.
    const none = undefined as never;
    const settings = RefundSettings.from({ notifyBaseUrl: 'https://refunds.example.com' });
    sut = new RefundService(
      none,
      none,
      registry,
      none,
      none,
      none,
      none,
      settings,
      none,
      none,
      new FakeClock(),
      none,
      none,
      none,
    );
  });

  it('finds nothing wrong with a well-formed command, and leaves business rules to request()', () => {
    expect(sut.check(command())).toEqual([]);
    expect(gateway.validated).toHaveLength(1);
    expect(gateway.submitted).toHaveLength(0);
  });

  it("lists the money rules' problems and the gateway's together, money first, one per field", () => {
    const problems = sut.check(
      command({ amount: 0, refundNo: 'R'.repeat(33), order: { merchantOrderNo: 'T1', totalAmount: 300 } }),
    );
    expect(problems).toEqual([
      { field: 'amount', message: 'must be a positive integer number of fen' },
      { field: 'refundNo', message: 'strict: 1-32' },
      { field: 'order.payMethod', message: 'strict: required' },
    ]);
  });

  it('says nothing about malformed fields, gives the gateway placeholders for them, and checks the rest', () => {
    const problems = sut.check(command({ amount: 1.5, refundNo: 'R bad', merchantId: 'm'.repeat(65) }), [
      'amount',
      'merchantId',
    ]);
    expect(problems).toEqual([{ field: 'refundNo', message: 'strict: 1-32' }]);
    expect(gateway.validated[0]).toMatchObject({ amount: 1, merchantId: 'X', refundNo: 'R bad' });
  });

  it('says nothing inside a malformed order, and no "exceeds" for an amount over a malformed total', () => {
    expect(sut.check(command({ refundNo: 'R bad', order: 'T1' as never }), ['order'])).toEqual([
      { field: 'refundNo', message: 'strict: 1-32' },
    ]);
    const overTotal = command({ amount: 500, order: { merchantOrderNo: 'T1', totalAmount: 1.5 } });
    expect(sut.check(overTotal, ['order.totalAmount'])).toEqual([
      { field: 'order.payMethod', message: 'strict: required' },
    ]);
  });

  it('still checks the rest of an order whose order numbers are malformed', () => {
    const order = { merchantOrderNo: 'T'.repeat(65), totalAmount: 300 };
    expect(sut.check(command({ order }), ['order.merchantOrderNo', 'order.gatewayOrderNo'])).toEqual([
      { field: 'order.payMethod', message: 'strict: required' },
    ]);
  });

  it("reports a missing order number once, in the money rules' words, and the order's other problems", () => {
    expect(sut.check(command({ order: { totalAmount: 300 } }))).toEqual([
      { field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' },
      { field: 'order.payMethod', message: 'strict: required' },
    ]);
  });

  it('checks the money rules alone for a gateway it does not know or cannot read, and throws nothing', () => {
    expect(sut.check(command({ gateway: 'nope', amount: 400 }))).toEqual([
      { field: 'amount', message: 'must not exceed order.totalAmount (300)' },
    ]);
    expect(sut.check(command({ gateway: 'strict', refundNo: 'R bad' }), ['gateway'])).toEqual([]);
    expect(gateway.validated).toHaveLength(0);
  });

  it('asks no gateway about a command without an order', () => {
    const orderless = { ...command(), order: undefined } as unknown as RequestRefundCommand;
    expect(sut.check(orderless)).toEqual([{ field: 'order', message: 'is required' }]);
    expect(gateway.validated).toHaveLength(0);
  });
});
