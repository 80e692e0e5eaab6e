import { buildLeshuaXml, signLeshuaNotification } from '@refundhub/leshua';

import { ApiHarness, LESHUA_KEYS, MERCHANT, startApi } from './support/api-harness';
import { CapturedLogs, LogEntry } from './support/captured-logs';
import { describeWithDialect } from './support/databases';
import {
  NotifyingSimulators,
  UMF,
  createNotifyingRefund,
  genuineNotification,
  startNotifyingSimulators,
} from './support/notifying-gateways';

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

/**
 * The text a log line holds once a reader decodes its JSON: the message, an error's message, and every
 * other text field but a stack's frames (which are lines by nature, each escaped).
 */
function printedTexts(entry: LogEntry): string[] {
  return Object.entries(entry).flatMap(([field, value]) => {
    if (field === 'stack') return [];
    if (field === 'err' && typeof value === 'object' && value !== null) {
      const message = (value as { message?: unknown }).message;
      return typeof message === 'string' ? [message] : [];
    }
    return typeof value === 'string' ? [value] : [];
  });
}

/** The lines logged since `from` (a count of lines), each one JSON object on one line. */
function linesSince(logs: CapturedLogs, from: number): LogEntry[] {
  const lines = logs.lines.slice(from);
  for (const line of lines) expect(line).toMatch(/^\{[^\n]*\}\n$/);
  return lines.map((line) => JSON.parse(line) as LogEntry);
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
  const logs = new CapturedLogs();

  beforeAll(async () => {
    simulators = await startNotifyingSimulators();
    h = await startApi('sqlite', { gateways: simulators.sections, logs });
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
    const from = logs.lines.length;
    const answer = await h.postRaw(`/notify/${gateway}`, body, contentType);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    // The app's own lines, not only the request's closing one.
    const entries = linesSince(logs, from).filter((entry) => entry.msg !== 'request completed');
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      for (const text of printedTexts(entry)) expect(text).not.toMatch(CONTROL);
    }
    // The escaped text is there, so the log still says what was received.
    if (echoed) expect(entries.flatMap(printedTexts).join(' ')).toContain('\\u001b[2K');
  });

  it('logs a genuine notification with a forged-looking failure reason without breaking the line', async () => {
    const from = logs.lines.length;
    const notification = genuineNotification({
      gateway: 'leshua',
      refundNo: 'LOG1',
      result: 'success',
      amount: 100,
      extra: { failure_reason: FORGERY },
    });
    await h.postRaw('/notify/leshua', notification.body, notification.contentType);
    const entries = linesSince(logs, from);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      for (const text of printedTexts(entry)) expect(text).not.toMatch(CONTROL);
    }
  });
});
