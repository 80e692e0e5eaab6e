import {
  checkBaseUrl,
  errorCodesOf,
  positiveInteger,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

/**
 * Options of {@link ChaoyingModule}. Every option can be set in the operator file under `gateways.chaoying`
 * (see `chaoyingConfigSchema`).
 */
export interface ChaoyingOptions extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin: `https://pay.storepos.cn`. */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  /**
   * The agent (代理商编号). Present: the v1 endpoint `/UnifiedPay/Gateway`, requests carry `agent_id` and
   * are signed with the agent's key. Absent: the v2 endpoint `/v2/UnifiedPay/Gateway`, signed with each
   * merchant's own key.
   */
  agentId?: string;
  /** v1 only: the agent's key once for all merchants; otherwise each merchant's `key` is the agent's key. */
  agentKey?: string;
  /** `version` sent with every call. Default `1.0`. */
  version?: string;
  /** `pid`, the caller's product name, sent when set (the doc's example: `yunpos`). */
  pid?: string;
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): added to the documented ones below.
}

/**
 * The `code`s (参数规定) that prove ChaoYing did not and will not refund: signature, parameter, merchant,
 * agent and merchant-configuration refusals, an order that does not exist or is unpaid, closed or
 * revoked. `20006` 系统错误, `20008` 退款错误 (it does not say whether money moved), `30001` 网络异常 and
 * any code not listed stay unknown outcomes. On a query, `20007` 订单不存在 says the refund does not exist.
 */
export const CHAOYING_DOCUMENTED_ERROR_CODES: ErrorCodeOptions = {
  failedErrorCodes: ['20002', '20004', '20005', '20007', '20012', '20013', '10003', '10004', '10005'],
  busyErrorCodes: ['30001'],
  notFoundErrorCodes: ['20007'],
};

/** v1 (agent) and v2 (merchant key) endpoints: one URL serves every `method`. */
export const CHAOYING_V1_PATH = '/UnifiedPay/Gateway';
export const CHAOYING_V2_PATH = '/v2/UnifiedPay/Gateway';

/** {@link ChaoyingOptions} with defaults applied and checked once at boot. */
export class ChaoyingSettings {
  readonly gatewayUrl: string;
  readonly timeoutMs: number;
  readonly agentId: string | null;
  readonly agentKey: string | null;
  readonly version: string;
  readonly pid: string | null;
  readonly errorCodes: ErrorCodes;

  constructor(options: ChaoyingOptions) {
    const gateway = 'ChaoYing';
    const baseUrl = checkBaseUrl({ gateway, baseUrl: options.baseUrl });
    this.agentId = options.agentId || null;
    this.agentKey = options.agentKey || null;
    if (this.agentKey && !this.agentId)
      throw new Error('ChaoYing option agentKey needs agentId: only v1 signs with the agent key');
    this.gatewayUrl = `${baseUrl}${this.agentId ? CHAOYING_V1_PATH : CHAOYING_V2_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.version = options.version ?? '1.0';
    this.pid = options.pid || null;
    this.errorCodes = errorCodesOf(options, CHAOYING_DOCUMENTED_ERROR_CODES);
  }

  /** The key that signs a merchant's requests and verifies the answers to them. */
  signingKey(merchantId: string, merchantKey: string | undefined): string {
    const key = this.agentKey ?? merchantKey;
    if (!key)
      throw new Error(`ChaoYing merchant ${merchantId} has no key${this.agentId ? ' and agentKey is not set' : ''}`);
    return key;
  }
}
