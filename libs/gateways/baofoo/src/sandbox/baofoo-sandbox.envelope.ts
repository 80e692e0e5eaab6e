import { parseChinaTime } from '@refundhub/gateway-kit';

import { BAOFOO_ENVELOPE, BAOFOO_METHOD } from '../baofoo.types';

/** A request envelope whose fields are all there, as Baofoo reads it before anything else. */
export type ReceivedEnvelope = Readonly<Record<(typeof REQUIRED)[number], string>> & Readonly<Record<string, string>>;

const METHODS: readonly string[] = Object.values(BAOFOO_METHOD);
const REQUIRED = [
  'merId',
  'terId',
  'method',
  'charset',
  'version',
  'format',
  'timestamp',
  'signType',
  'signSn',
  'ncrptnSn',
  'signStr',
  'bizContent',
] as const;
const FIXED = ['charset', 'version', 'format', 'signType'] as const;
/** The request's timestamp must be within ten minutes of Baofoo's clock. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

/**
 * The public envelope (接口请求入口) checked as the real gateway checks it before any business: every
 * field present, a method it has, the fixed values, and a China-time `timestamp` near its clock (it
 * refused UTC stamps). The reason it cannot read the call (`returnCode` FAIL), or the envelope.
 */
export function readEnvelope(
  envelope: Readonly<Record<string, string>> | null,
  now: Date,
): { envelope: ReceivedEnvelope } | { problem: string } {
  if (!envelope) return { problem: '请求须为application/x-www-form-urlencoded表单' };
  const missing = REQUIRED.find((name) => !envelope[name]);
  if (missing) return { problem: `${missing}不能为空` };
  const fields = envelope as ReceivedEnvelope;
  if (!METHODS.includes(fields.method)) return { problem: `不支持的method: ${fields.method}` };
  const fixed = FIXED.find((name) => fields[name].toUpperCase() !== BAOFOO_ENVELOPE[name].toUpperCase());
  if (fixed) return { problem: `${fixed}不合法` };
  const timestamp = /^\d{14}$/.test(fields.timestamp) ? parseChinaTime(fields.timestamp) : undefined;
  if (!timestamp || Math.abs(timestamp.getTime() - now.getTime()) > CLOCK_SKEW_MS) {
    return { problem: 'timestamp与服务器时间相差超过10分钟' };
  }
  return { envelope: fields };
}
