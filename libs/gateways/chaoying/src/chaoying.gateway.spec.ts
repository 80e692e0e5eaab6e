import { Test } from '@nestjs/testing';
import { gatewayRefundQuery, gatewayRefundRequest, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { chaoyingConfigSchema } from './chaoying.config';
import { ChaoyingGateway } from './chaoying.gateway';
import { ChaoyingModule } from './chaoying.module';
import { ChaoyingSettings } from './chaoying.options';
import { createChaoyingTestApp, KEY, MERCHANT, type ChaoyingTestApp } from './testing/chaoying-test-app';

// What is ChaoYing's own; what every gateway must do is in chaoying.contract.spec.ts.

const AGENT = '13000000000000001';
const AGENT_KEY = 'AGENTKEY0123456789ABCDEF01234567';

const request = (refundNo: string) =>
  gatewayRefundRequest({
    merchantId: MERCHANT,
    refundNo,
    order: { merchantOrderNo: 'T1', totalAmount: 1000, payMethod: 'ALIPAY' },
  });

describe(ChaoyingGateway.name, () => {
  let app: ChaoyingTestApp;
  afterEach(() => app?.close());

  it('v1: sends agent_id to /UnifiedPay/Gateway and signs with the agent key', async () => {
    app = await createChaoyingTestApp({ agentId: AGENT, agentKey: AGENT_KEY }, { agentId: AGENT, agentKey: AGENT_KEY });
    app.sandbox.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T1', totalFee: 1000, payType: 'ALIPAY' });
    await expect(app.gateway.submit(request('R1'))).resolves.toMatchObject({ kind: 'processing' });
    await expect(app.gateway.query(gatewayRefundQuery(request('R1')))).resolves.toMatchObject({ kind: 'succeeded' });
    expect(app.sandbox.requests().map((r) => [r.endpoint, r.params['agent_id']])).toEqual([
      ['v1', AGENT],
      ['v1', AGENT],
    ]);
  });

  it('v2: no agent_id, the merchant key; an answer signed with another key is unknown', async () => {
    app = await createChaoyingTestApp();
    app.sandbox.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T1', totalFee: 1000, payType: 'ALIPAY' });
    await expect(app.gateway.submit(request('R1'))).resolves.toMatchObject({ kind: 'processing' });
    expect(app.sandbox.requests()[0]).toMatchObject({ endpoint: 'v2' });
    expect(app.sandbox.requests()[0].params).not.toHaveProperty('agent_id');
    app.sandbox.failNext('badsign', { operation: 'refundquery' });
    await expect(app.gateway.query(gatewayRefundQuery(request('R1')))).resolves.toMatchObject({
      kind: 'unknown',
      reason: 'bad_signature',
    });
  });

  it('sends the total and refund in fen, and the order by out_trade_no only', async () => {
    app = await createChaoyingTestApp();
    app.sandbox.seedOrder({
      merchantId: MERCHANT,
      outTradeNo: 'T1',
      transactionId: 'TX1',
      totalFee: 1000,
      payType: 'ALIPAY',
    });
    const both = gatewayRefundRequest({
      merchantId: MERCHANT,
      refundNo: 'R2',
      amount: 250,
      order: { merchantOrderNo: 'T1', gatewayOrderNo: 'TX1', totalAmount: 1000, payMethod: 'ALIPAY' },
    });
    await expect(app.gateway.submit(both)).resolves.toMatchObject({ kind: 'processing' });
    expect(app.sandbox.requests()[0].params).toMatchObject({
      method: 'refund',
      paytype: 'ALIPAY',
      out_trade_no: 'T1',
      total_fee: '1000',
      refund_fee: '250',
      op_user_id: MERCHANT,
    });
    expect(app.sandbox.requests()[0].params).not.toHaveProperty('transaction_id');
  });

  it('validates pay method, refund number and order reference against the domain fields', async () => {
    app = await createChaoyingTestApp();
    const fields = (overrides: Parameters<typeof gatewayRefundRequest>[0]) =>
      app.gateway.validate(gatewayRefundRequest({ merchantId: MERCHANT, ...overrides })).problems.map((p) => p.field);
    expect(fields({})).toEqual([]);
    expect(fields({ order: { payMethod: null } })).toEqual(['order.payMethod']);
    expect(fields({ order: { payMethod: 'wechat' } })).toEqual(['order.payMethod']);
    expect(fields({ refundNo: 'R'.repeat(33) })).toEqual(['refundNo']);
    expect(fields({ refundNo: 'TK-1497769914931-01' })).toEqual([]);
    expect(fields({ order: { merchantOrderNo: null, gatewayOrderNo: null } })).toEqual(['order.merchantOrderNo']);
  });
});

describe(ChaoyingModule.name, () => {
  const credentials = () => TestCredentialsModule.forRoot({ chaoying: { [MERCHANT]: { key: KEY } } });

  it('chooses the endpoint by agentId and refuses agentKey without it', async () => {
    const v2 = await Test.createTestingModule({
      imports: [credentials(), ChaoyingModule.forRoot({ baseUrl: 'https://pay.storepos.cn/' })],
    }).compile();
    expect(v2.get(ChaoyingSettings)).toMatchObject({
      gatewayUrl: 'https://pay.storepos.cn/v2/UnifiedPay/Gateway',
      version: '1.0',
    });
    await v2.close();
    const v1 = new ChaoyingSettings({ baseUrl: 'https://pay.storepos.cn', agentId: AGENT });
    expect(v1.gatewayUrl).toBe('https://pay.storepos.cn/UnifiedPay/Gateway');
    expect(v1.signingKey(MERCHANT, KEY)).toBe(KEY);
    expect(
      new ChaoyingSettings({ baseUrl: 'https://x', agentId: AGENT, agentKey: AGENT_KEY }).signingKey(MERCHANT, KEY),
    ).toBe(AGENT_KEY);
    expect(() => v1.signingKey(MERCHANT, undefined)).toThrow('has no key and agentKey is not set');
    expect(() => new ChaoyingSettings({ baseUrl: 'https://x', agentKey: AGENT_KEY })).toThrow('agentKey needs agentId');
  });

  it('reads gateways.chaoying: v2 wants each merchant key, v1 takes agentKey for all', () => {
    const problems = (section: object) =>
      chaoyingConfigSchema.safeParse(section).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(problems({ baseUrl: 'sandbox', merchants: { '1': {} } })).toEqual([
      'merchants.1.key: required (the merchant key signs v2 requests)',
    ]);
    expect(problems({ baseUrl: 'sandbox', agentId: AGENT, merchants: { '1': {} } })).toEqual([
      'merchants.1.key: required (or set agentKey for all merchants)',
    ]);
    expect(problems({ baseUrl: 'sandbox', agentId: AGENT, agentKey: AGENT_KEY, merchants: { '1': {} } })).toEqual([]);
    expect(problems({ baseUrl: 'sandbox', agentKey: AGENT_KEY, merchants: { '1': { key: 'k' } } })).toEqual([
      'agentKey: needs agentId: only the v1 endpoint signs with the agent key',
    ]);
  });
});
