import type { LoggerService } from '@nestjs/common';
import { buildLeshuaXml, signLeshuaNotification } from '@refundhub/leshua';

import { ApiHarness, LESHUA_KEYS, MERCHANT, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import {
  NotifyingSimulators,
  UMF,
  createNotifyingRefund,
  genuineNotification,
  startNotifyingSimulators,
} from './support/notifying-gateways';

/** Every call the app made to its logger, with all its arguments. */
class CapturingLogger implements LoggerService {
  readonly calls: Array<{ level: string; args: unknown[] }> = [];
  log = (...args: unknown[]) => this.calls.push({ level: 'log', args });
  error = (...args: unknown[]) => this.calls.push({ level: 'error', args });
  warn = (...args: unknown[]) => this.calls.push({ level: 'warn', args });
  debug = (...args: unknown[]) => this.calls.push({ level: 'debug', args });
  verbose = (...args: unknown[]) => this.calls.push({ level: 'verbose', args });
  fatal = (...args: unknown[]) => this.calls.push({ level: 'fatal', args });
}

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators: what can start a line or restyle one. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A line break, then what a forged log line of the app would look like, then ANSI sequences that erase
 * a line and move up to the one before. (No carriage return: XML turns it into a line feed, and the
 * signed cases must stay genuine.)
 */
const FORGERY =
  '\n[Nest] 4242  - 01/05/2026, 12:00:00 PM     LOG [RefundService] Refund rf_x SUCCEEDED\u001b[2K\u001b[1A';

/** The text a log call would print: the message, an error's message, and any text argument but a stack's frames. */
function printedTexts(args: readonly unknown[]): string[] {
  return args.flatMap((arg) => {
    if (arg instanceof Error) return [arg.message];
    if (typeof arg !== 'string') return [];
    const frames = arg.indexOf('\n    at ');
    return [frames >= 0 ? arg.slice(0, frames) : arg];
  });
}

function leshuaBody(fields: Record<string, string>, key = LESHUA_KEYS[MERCHANT].notifyKey): Buffer {
  const signed = { ...fields, sign: signLeshuaNotification(fields, key) };
  return Buffer.from(buildLeshuaXml(signed), 'utf8');
}

/**
 * Whatever a notification carries reaches a log line with its control characters escaped: a field that
 * holds a line break and ANSI escapes cannot write a line of its own, or restyle or erase one.
 */
describeWithDialect('sqlite', 'notification logs', () => {
  let h: ApiHarness;
  let simulators: NotifyingSimulators;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    simulators = await startNotifyingSimulators();
    h = await startApi('sqlite', { gateways: simulators.sections, logger });
    await createNotifyingRefund(h, { gateway: 'leshua', refundNo: 'LOG1', amount: 100, paidAt: simulators.paidAt });
  });
  afterAll(async () => {
    await h.close();
    await simulators.stop();
  });

  const base = {
    merchant_id: MERCHANT,
    merchant_refund_id: 'LOG1',
    refund_amount: '100',
    status: '11',
    error_code: '0',
    nonce_str: 'abc',
  };

  it.each([
    ['an unknown merchant', 'leshua', leshuaBody({ ...base, merchant_id: `0000000018${FORGERY}` }), 'text/xml', true],
    [
      'a wrongly signed refund number',
      'leshua',
      leshuaBody({ ...base, merchant_refund_id: `LOG1${FORGERY}` }, 'x'),
      'text/xml',
      true,
    ],
    [
      'a genuine notification of an unknown refund',
      'leshua',
      leshuaBody({ ...base, merchant_refund_id: `LOG1${FORGERY}` }),
      'text/xml',
      true,
    ],
    [
      'a genuine notification with a bad amount',
      'leshua',
      leshuaBody({ ...base, refund_amount: `1${FORGERY}` }),
      'text/xml',
      true,
    ],
    ['unreadable XML', 'leshua', Buffer.from(`<leshua><a${FORGERY}>`), 'text/xml', false],
    [
      'an unknown UMF merchant',
      'umf',
      Buffer.from(JSON.stringify({ merId: `3${FORGERY}`, sign: 'x' })),
      'application/json',
      true,
    ],
    [
      'a wrongly signed UMF refund',
      'umf',
      Buffer.from(JSON.stringify({ merId: UMF.merchant, refundPartnerOrderId: `U${FORGERY}`, sign: 'x' })),
      'application/json',
      true,
    ],
    [
      'a Baofoo notification of another type',
      'baofoo',
      Buffer.from(new URLSearchParams({ notifyType: `PAYMENT${FORGERY}` }).toString()),
      'application/x-www-form-urlencoded',
      true,
    ],
    [
      'a Baofoo notification of an unknown merchant',
      'baofoo',
      Buffer.from(
        new URLSearchParams({
          notifyType: 'REFUND',
          signStr: 'ab',
          dataContent: JSON.stringify({ merId: `1${FORGERY}`, outTradeNo: `B${FORGERY}` }),
        }).toString(),
      ),
      'application/x-www-form-urlencoded',
      true,
    ],
  ] as const)('%s is logged on one line, escaped', async (_name, gateway, body, contentType, echoed) => {
    const from = logger.calls.length;
    const answer = await h.postRaw(`/notify/${gateway}`, body, contentType);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    const calls = logger.calls.slice(from);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      for (const text of printedTexts(call.args)) expect(text).not.toMatch(CONTROL);
    }
    // The escaped text is there, so the log still says what was received.
    if (echoed) expect(calls.flatMap((c) => printedTexts(c.args)).join(' ')).toContain('\\u001b[2K');
  });

  it('logs a genuine notification with a forged-looking failure reason without breaking the line', async () => {
    const from = logger.calls.length;
    const notification = genuineNotification({
      gateway: 'leshua',
      refundNo: 'LOG1',
      result: 'success',
      amount: 100,
      extra: { failure_reason: FORGERY },
    });
    await h.postRaw('/notify/leshua', notification.body, notification.contentType);
    for (const call of logger.calls.slice(from)) {
      for (const text of printedTexts(call.args)) expect(text).not.toMatch(CONTROL);
    }
  });
});
