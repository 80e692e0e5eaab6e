import { sha256Hex } from './api-keys';
import { ConfigEnv } from './config-interpolation';
import { demoMerchantPrivateKey, demoWebhookSecret } from './demo-keys';
import { OperatorConfig } from './operator-config.schema';
import { validateOperatorConfig } from './operator-config.validate';

/** Named as the source of the configuration in logs and errors. */
export const DEMO_CONFIG_SOURCE = 'embedded demo';

/**
 * The demo's API key. Public on purpose: the demo binds to 127.0.0.1 and talks only to
 * the built-in sandbox, and a known key lets the README's curl examples work as pasted.
 */
export const DEMO_API_KEY = 'rh_demo_0000000000000000';

export const DEMO_MERCHANT_ID = '0000000018';

/** An order a demo sandbox holds as paid, so a first refund succeeds. */
export interface DemoOrder {
  /** The gateway whose sandbox holds it. */
  readonly gateway: string;
  readonly merchantId: string;
  readonly merchantOrderNo: string;
  /** The gateway's number of the order, where it has one the demo uses. */
  readonly gatewayOrderNo?: string;
  /** Fen. */
  readonly totalAmount: number;
  /** Needed by gateways that refund by pay type (ChaoYing's `paytype`, UMF's `payType`). */
  readonly payMethod?: string;
  /** Needed by gateways with a refund window or an order date on the wire (UMF, Baofoo). */
  readonly paidAt?: Date;
}

export const DEMO_ORDER: DemoOrder = Object.freeze({
  gateway: 'leshua',
  merchantId: DEMO_MERCHANT_ID,
  merchantOrderNo: 'T20250101000001',
  gatewayOrderNo: '8001122165823107',
  totalAmount: 300,
});

/** ChaoYing's demo order (v2 endpoint, merchant key). */
export const DEMO_CHAOYING_ORDER: DemoOrder = Object.freeze({
  gateway: 'chaoying',
  merchantId: '00000001',
  merchantOrderNo: 'CY20250101000001',
  gatewayOrderNo: '7551000001201706196281179416',
  totalAmount: 500,
  payMethod: 'WECHAT',
});

/** UMF's demo order, paid an hour before the demo started (UMF refunds orders of the last 90 days only). */
export const DEMO_UMF_MERCHANT = { subMerId: '30000101', proxyId: '0025' } as const;
/** Baofoo's demo merchant and terminal. */
export const DEMO_BAOFOO_MERCHANT = { merId: '100000', terId: '200000' } as const;

let demoPaidAt: Date | undefined;

/**
 * Every paid order the demo's sandboxes hold, one per gateway. The orders of gateways with a
 * refund window are paid an hour before the first call in this process, so that the demo works
 * on any day; later calls return the same orders.
 */
export function demoOrders(): readonly DemoOrder[] {
  demoPaidAt ??= new Date(Date.now() - 60 * 60 * 1000);
  return [
    DEMO_ORDER,
    DEMO_CHAOYING_ORDER,
    {
      gateway: 'umf',
      merchantId: DEMO_UMF_MERCHANT.subMerId,
      merchantOrderNo: 'UMF20250101000001',
      totalAmount: 800,
      payMethod: 'ALIPAY',
      paidAt: demoPaidAt,
    },
    {
      gateway: 'baofoo',
      merchantId: DEMO_BAOFOO_MERCHANT.merId,
      merchantOrderNo: 'BF20250101000001',
      gatewayOrderNo: 'BFT2025010100000001',
      totalAmount: 1000,
      paidAt: demoPaidAt,
    },
  ];
}

/** Made-up keys, shared by the demo's client and its sandbox. */
const DEMO_TRADE_KEY = 'DEMOTRADEKEY0123456789ABCDEF0123';
const DEMO_NOTIFY_KEY = 'DEMONOTIFYKEY0123456789ABCDEF012';
const DEMO_CHAOYING_KEY = 'DEMOCYKEY0123456789ABCDEF0123456';

/**
 * The configuration used when there is no file: SQLite and the gateway sandboxes, so
 * `npm start` works on a fresh checkout. Only `PORT` is read from the environment.
 */
export function demoOperatorConfig(env: ConfigEnv = process.env): OperatorConfig {
  const config = validateOperatorConfig(
    {
      database: { driver: 'sqlite', path: './data/refundhub-demo.sqlite' },
      api: {
        host: '127.0.0.1',
        port: env['PORT'] ?? 3000,
        // The demo's one person is its operator too, so the walkthrough can settle a refund by hand.
        keys: [{ name: 'demo', sha256: sha256Hex(DEMO_API_KEY), merchants: ['*'], scopes: ['operator'] }],
      },
      logging: { format: 'pretty' },
      // The operations console at /console, with the demo key filled in on its sign-in form.
      console: { enabled: true },
      // Seconds, not the production minutes: the README's walkthrough settles while you watch.
      scheduler: { enabled: true, intervalMs: 2000, backoff: ['2s', '5s', '10s', '30s', '1m'], exhaustAfter: '1h' },
      // Made per run and printed by the banner. The demo listens on 127.0.0.1 and is meant to call
      // a receiver on the same machine, so local targets are allowed here, and only here.
      webhooks: { secret: demoWebhookSecret(), allowPrivateTargets: true },
      gateways: {
        leshua: {
          baseUrl: 'sandbox',
          merchants: {
            [DEMO_MERCHANT_ID]: { tradeKey: DEMO_TRADE_KEY, notifyKey: DEMO_NOTIFY_KEY },
          },
        },
        chaoying: {
          baseUrl: 'sandbox',
          merchants: { [DEMO_CHAOYING_ORDER.merchantId]: { key: DEMO_CHAOYING_KEY } },
        },
        // The sandboxes supply their own platform keys; the merchants' keys are made per run.
        umf: {
          baseUrl: 'sandbox',
          merchants: {
            [DEMO_UMF_MERCHANT.subMerId]: {
              proxyId: DEMO_UMF_MERCHANT.proxyId,
              privateKey: demoMerchantPrivateKey('umf'),
            },
          },
        },
        baofoo: {
          baseUrl: 'sandbox',
          merchants: {
            [DEMO_BAOFOO_MERCHANT.merId]: {
              terId: DEMO_BAOFOO_MERCHANT.terId,
              privateKey: demoMerchantPrivateKey('baofoo'),
            },
          },
        },
      },
    },
    // Nothing above uses ${VAR}; an empty environment makes sure nothing ever does.
    { source: DEMO_CONFIG_SOURCE, env: {} },
  );
  // Derived after validation so a bad PORT is reported once, as api.port.
  return { ...config, api: { ...config.api, publicUrl: `http://127.0.0.1:${config.api.port}` } };
}
