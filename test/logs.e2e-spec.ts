import { createHash } from 'node:crypto';

import type { RefundView } from '@refundhub/core';
import { LESHUA_SANDBOX_ERRORS } from '@refundhub/leshua/sandbox';

import { ApiHarness, KEYS, LESHUA_KEYS, MERCHANT, refundBody, startApi } from './support/api-harness';
import { CapturedLogs, LogEntry } from './support/captured-logs';
import { describeWithDialect } from './support/databases';
import {
  NotifyingSimulators,
  createNotifyingRefund,
  genuineNotification,
  startNotifyingSimulators,
} from './support/notifying-gateways';

const WEBHOOK_SECRET = `whsec_${Buffer.from('refundhub e2e logs webhook secret').toString('base64')}`;
const KEY_WEBHOOK_SECRET = `whsec_${Buffer.from('refundhub e2e logs key webhook secret').toString('base64')}`;
const REQUEST_ID = 'x-request-id';

/** Field names under which the operator file holds credentials. */
const SECRET_FIELD = /key|secret|sha256|password|passphrase|pfx/i;

/**
 * Every credential the test configuration holds, found by walking it: whole values, and each line of
 * a PEM on its own (a key quoted in part would still be a leak).
 */
function configuredSecrets(value: unknown, field = ''): string[] {
  if (typeof value === 'string') {
    if (!SECRET_FIELD.test(field) || value.length < 8) return [];
    const pemLines = value.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
    return [value, ...pemLines];
  }
  if (Array.isArray(value)) return value.flatMap((item) => configuredSecrets(item, field));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, inner]) => configuredSecrets(inner, name));
  }
  return [];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A request id source that counts, so a test knows each id it will see. */
function countingIds(): { next(): string; made: string[] } {
  const made: string[] = [];
  return {
    made,
    next: () => {
      made.push(`rq-${made.length + 1}`);
      return made[made.length - 1];
    },
  };
}

function parsed(lines: readonly string[]): LogEntry[] {
  return lines.map((line) => {
    expect(line).toMatch(/^\{[^\n]*\}\n$/);
    return JSON.parse(line) as LogEntry;
  });
}

describeWithDialect('sqlite', 'The log', () => {
  let simulators: NotifyingSimulators;

  beforeAll(async () => {
    simulators = await startNotifyingSimulators();
  });
  afterAll(() => simulators.stop());

  describe('at debug, as JSON', () => {
    let h: ApiHarness;
    const logs = new CapturedLogs();
    const ids = countingIds();

    beforeAll(async () => {
      h = await startApi('sqlite', {
        logs,
        logging: { level: 'debug', format: 'json' },
        requestIds: ids,
        gateways: simulators.sections,
        // A receiver that refuses connections: its webhook attempts fail, and say so in the log.
        webhooks: { secret: WEBHOOK_SECRET, allowPrivateTargets: true },
        keyWebhookSecrets: { all: KEY_WEBHOOK_SECRET },
      });
    });
    afterAll(() => h.close());

    /** Runs one request; returns its answer, its id and the lines logged from its start to its closing line. */
    const served = async <T extends { headers: Headers }>(request: () => Promise<T>) => {
      const from = logs.lines.length;
      const answer = await request();
      const reqId = answer.headers.get(REQUEST_ID) ?? '';
      await logs.waitFor((entry) => entry.reqId === reqId && entry.msg === 'request completed');
      return { answer, reqId, entries: parsed(logs.lines.slice(from)) };
    };

    const refundIds: Record<string, string> = {};
    const forgedReqIds: string[] = [];

    it('gives every line of a request its id, and every line of a refund its refund id, through a whole flow', async () => {
      // Created, PROCESSING: the gateway module's debug lines are there, with the request's id and the refund's.
      const created = await served(() => h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'RLOG1' })));
      expect(created.answer.status).toBe(201);
      refundIds.RLOG1 = created.answer.body.id;
      expect(created.reqId).toBe(ids.made[ids.made.length - 1]);
      for (const entry of created.entries) expect(entry.reqId).toBe(created.reqId);
      const createdWork = created.entries.filter((entry) => entry.refundId === refundIds.RLOG1);
      expect(createdWork.some((entry) => entry.level === 'debug' && entry.context === 'LeshuaGateway')).toBe(true);
      expect(createdWork.every((entry) => entry.gateway === 'leshua')).toBe(true);
      const closing = created.entries[created.entries.length - 1];
      expect(Object.keys(closing).sort()).toEqual(
        ['hostname', 'level', 'method', 'msg', 'path', 'pid', 'reqId', 'responseTime', 'statusCode', 'time'].sort(),
      );
      expect(closing).toMatchObject({ level: 'info', method: 'POST', path: '/refunds', statusCode: 201 });

      // A definite rejection: FAILED, and its webhook to a receiver that is down fails (logged with the refund's id).
      h.sandbox.rejectNext(LESHUA_SANDBOX_ERRORS.amountExceeds, '退款金额超过订单可退金额', {
        service: 'unified_refund',
      });
      const rejected = await served(() =>
        h.call<RefundView>(
          'POST',
          '/refunds',
          refundBody({ refundNo: 'RLOG2', amount: 50, notifyUrl: 'http://127.0.0.1:9/refund-hook' }),
        ),
      );
      expect(rejected.answer.body.status).toBe('FAILED');
      refundIds.RLOG2 = rejected.answer.body.id;
      for (const entry of rejected.entries) expect(entry.reqId).toBe(rejected.reqId);
      expect(rejected.entries.some((entry) => entry.refundId === refundIds.RLOG2)).toBe(true);
      await h.webhooksSettled();
      const webhookFailed = await logs.waitFor((entry) => /^Webhook refund\.failed of refund/.test(entry.msg ?? ''));
      expect(webhookFailed).toMatchObject({ level: 'warn', refundId: refundIds.RLOG2 });
      // And a retry in a delivery round, which no request started.
      await h.makeWebhooksDue(refundIds.RLOG2);
      const retryFrom = logs.lines.length;
      await h.webhookRound();
      const retried = parsed(logs.lines.slice(retryFrom));
      expect(retried.length).toBeGreaterThan(0);
      for (const entry of retried) expect(entry).toMatchObject({ refundId: refundIds.RLOG2 });
      for (const entry of retried) expect(entry.reqId).toBeUndefined();

      // An unknown outcome (the gateway answered 502): UNKNOWN.
      h.sandbox.failNext('5xx', { service: 'unified_refund' });
      const unknown = await served(() =>
        h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'RLOG3', amount: 50 })),
      );
      expect(unknown.answer.body.status).toBe('UNKNOWN');
      refundIds.RLOG3 = unknown.answer.body.id;
      for (const entry of unknown.entries) expect(entry.reqId).toBe(unknown.reqId);
      expect(unknown.entries.some((entry) => entry.refundId === refundIds.RLOG3)).toBe(true);

      // A refund on a gateway that signs with the merchant's private key.
      const umfFrom = logs.lines.length;
      const umf = await createNotifyingRefund(h, {
        gateway: 'umf',
        refundNo: 'ULOG1',
        amount: 100,
        paidAt: simulators.paidAt,
      });
      refundIds.ULOG1 = umf.id;
      await logs.waitFor((entry) => entry.msg === 'request completed' && entry.path === '/refunds');
      expect(
        parsed(logs.lines.slice(umfFrom)).some((entry) => entry.refundId === umf.id && entry.gateway === 'umf'),
      ).toBe(true);

      // A forged notification: rejected, logged under its request's id.
      const forgedBody = genuineNotification({
        gateway: 'leshua',
        refundNo: 'RLOG1',
        result: 'success',
        amount: 100,
        forged: true,
      });
      const forged = await served(() => h.postRaw('/notify/leshua', forgedBody.body, forgedBody.contentType));
      expect(forged.answer.status).toBeGreaterThanOrEqual(400);
      expect(forged.answer.status).toBeLessThan(500);
      forgedReqIds.push(forged.reqId);
      expect(forged.entries.some((entry) => entry.level === 'warn')).toBe(true);
      for (const entry of forged.entries) expect(entry.reqId).toBe(forged.reqId);

      // The gateway's real notification: applied, under the notification request's id and the refund's.
      const notifiedFrom = logs.lines.length;
      h.sandbox.complete(MERCHANT, 'RLOG1', 'success');
      await h.sandbox.settled();
      const notifiedClosing = await logs.waitFor(
        (entry) => entry.msg === 'request completed' && entry.path === '/notify/leshua' && entry.reqId !== forged.reqId,
      );
      expect(notifiedClosing.statusCode).toBe(200);
      const notified = parsed(logs.lines.slice(notifiedFrom));
      for (const entry of notified) expect(entry.reqId).toBe(notifiedClosing.reqId);
      expect((await h.call<RefundView>('GET', `/refunds/${refundIds.RLOG1}`)).body.status).toBe('SUCCEEDED');

      // A sync round: no request, and every line about the refund it works on names that refund.
      await h.makeDue(refundIds.RLOG3);
      const roundFrom = logs.lines.length;
      await h.syncRound();
      const round = parsed(logs.lines.slice(roundFrom));
      expect(round.length).toBeGreaterThan(1);
      for (const entry of round) expect(entry.reqId).toBeUndefined();
      const [summary, ...work] = [...round].reverse();
      expect(summary).toMatchObject({ context: 'RefundSyncService', msg: expect.stringMatching(/^Synced 1 refunds/) });
      for (const entry of work) expect(entry).toMatchObject({ refundId: refundIds.RLOG3, gateway: 'leshua' });
      expect(work.some((entry) => entry.level === 'debug')).toBe(true);

      // Settled by hand.
      const held = await served(() =>
        h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'RLOG4', amount: 50 })),
      );
      refundIds.RLOG4 = held.answer.body.id;
      const resolved = await served(() =>
        h.call<RefundView>(
          'POST',
          `/refunds/${refundIds.RLOG4}/resolve`,
          { status: 'FAILED', reason: 'refunded in cash at the counter' },
          KEYS.operator,
        ),
      );
      expect(resolved.answer.status).toBe(200);
      for (const entry of resolved.entries) expect(entry.reqId).toBe(resolved.reqId);
      expect(
        resolved.entries.some((entry) => entry.refundId === refundIds.RLOG4 && /settled FAILED/.test(entry.msg ?? '')),
      ).toBe(true);

      // Bad input and a wrong key: their lines carry their request's id, and say nothing of the key.
      const bad = await served(() => h.call('POST', '/refunds', refundBody({ amount: -1 })));
      expect(bad.answer.status).toBe(400);
      for (const entry of bad.entries) expect(entry.reqId).toBe(bad.reqId);
      const wrongKey = 'rh_wrong_key_that_must_not_be_logged';
      const unauthorized = await served(() =>
        h.call('GET', '/refunds?merchantOrderNo=CUSTOMER-ORDER-9', undefined, wrongKey),
      );
      expect(unauthorized.answer.status).toBe(401);
      expect(unauthorized.entries[unauthorized.entries.length - 1]).toMatchObject({
        path: '/refunds',
        statusCode: 401,
      });
      expect(logs.text()).not.toContain(wrongKey);
      expect(logs.text()).not.toContain('CUSTOMER-ORDER-9');

      // Every line about one refund's work names it, wherever it was logged.
      const all = logs.entries();
      for (const [refundNo, refundId] of Object.entries(refundIds)) {
        const about = all.filter(
          (entry) =>
            entry.msg !== 'request completed' &&
            !forgedReqIds.includes(entry.reqId ?? '') &&
            (entry.msg ?? '').match(new RegExp(`\\b(${refundNo}|${refundId})\\b`)),
        );
        expect(about.length).toBeGreaterThan(0);
        for (const entry of about)
          expect({ msg: entry.msg, refundId: entry.refundId }).toEqual({ msg: entry.msg, refundId });
      }
    });

    it("honours a caller's sane X-Request-Id and replaces a hostile one", async () => {
      const traced = await served(() =>
        fetch(`${h.url}/refunds/${refundIds.RLOG1}`, {
          headers: { authorization: `Bearer ${KEYS.all}`, [REQUEST_ID]: 'client-trace-42' },
        }),
      );
      expect(traced.reqId).toBe('client-trace-42');
      for (const entry of traced.entries) expect(entry.reqId).toBe('client-trace-42');

      const hostile = 'abc","level":"fatal","msg":"forged';
      const replaced = await served(() =>
        fetch(`${h.url}/refunds/${refundIds.RLOG1}`, {
          headers: { authorization: `Bearer ${KEYS.all}`, [REQUEST_ID]: hostile },
        }),
      );
      expect(replaced.reqId).toBe(ids.made[ids.made.length - 1]);
      for (const entry of replaced.entries) expect(entry.reqId).toBe(replaced.reqId);
      expect(logs.text()).not.toContain('forged"');
      expect(logs.text()).not.toContain('"level":"fatal"');
    });

    it('holds valid JSON on every line, and no configured secret nor any Authorization header', () => {
      const entries = logs.entries();
      expect(entries.length).toBe(logs.lines.length);
      for (const entry of entries) {
        expect(entry).toEqual(
          expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }),
        );
      }

      const secrets = [
        ...configuredSecrets(h.loaded.config),
        ...Object.values(KEYS),
        ...Object.values(KEYS).map(sha256),
        WEBHOOK_SECRET,
        KEY_WEBHOOK_SECRET,
      ];
      // The walk found the merchant keys, the private keys and the webhook secrets it should have.
      expect(secrets).toEqual(expect.arrayContaining([WEBHOOK_SECRET, KEY_WEBHOOK_SECRET, sha256(KEYS.all)]));
      expect(secrets.some((secret) => secret.includes('PRIVATE KEY'))).toBe(true);
      const text = logs.text();
      for (const secret of secrets) {
        expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
        expect({ secret, found: text.includes(JSON.stringify(secret).slice(1, -1)) }).toEqual({ secret, found: false });
      }
      expect(text).not.toMatch(/bearer/i);
      expect(text).not.toMatch(/authorization/i);
      // Not even caught on the way out: nothing in this flow put a credential into a line.
      expect(text).not.toContain('[redacted]');
    });

    it('writes a configured secret that a caller put into a logged text as [redacted]', async () => {
      const tradeKey = LESHUA_KEYS[MERCHANT].tradeKey;
      const from = logs.lines.length;
      const answer = await h.postRaw(
        '/notify/leshua',
        `<leshua><merchant_id>${MERCHANT}</merchant_id><merchant_refund_id>${tradeKey}</merchant_refund_id><sign>x</sign></leshua>`,
        'application/xml',
      );
      expect(answer.status).toBe(400);
      const reqId = answer.headers.get(REQUEST_ID) ?? '';
      await logs.waitFor((entry) => entry.reqId === reqId && entry.msg === 'request completed');

      const lines = logs.lines.slice(from).join('');
      expect(lines).not.toContain(tradeKey);
      expect(parsed(logs.lines.slice(from)).some((entry) => entry.msg?.includes('refund [redacted]'))).toBe(true);
    });
  });

  it('drops the info lines at logging.level warn', async () => {
    const logs = new CapturedLogs();
    const h = await startApi('sqlite', { logs, logging: { level: 'warn' } });
    try {
      expect((await h.call('POST', '/refunds', refundBody())).status).toBe(201);
      const forged = genuineNotification({
        gateway: 'leshua',
        refundNo: 'R1',
        result: 'success',
        amount: 1,
        forged: true,
      });
      expect((await h.postRaw('/notify/leshua', forged.body, forged.contentType)).status).toBeLessThan(500);

      const entries = logs.entries();
      expect(entries.some((entry) => entry.level === 'warn')).toBe(true);
      for (const entry of entries) expect(['warn', 'error', 'fatal']).toContain(entry.level);
    } finally {
      await h.close();
    }
  });

  it('prints readable lines, one a line, in the pretty format', async () => {
    const logs = new CapturedLogs();
    const h = await startApi('sqlite', { logs, logging: { level: 'info', format: 'pretty' } });
    try {
      const answer = await h.postRaw(
        '/notify/leshua',
        `<?xml version="1.0" encoding="utf-8"?><leshua><merchant_id>${MERCHANT}\nFORGED LINE \u001b[31mred\u001b[0m</merchant_id><merchant_refund_id>R1</merchant_refund_id><sign>x</sign></leshua>`,
        'application/xml',
      );
      expect(answer.status).toBeLessThan(500);
      const reqId = answer.headers.get(REQUEST_ID) ?? '';
      await logs.waitForLine((line) => line.includes('request completed') && line.includes(reqId));

      for (const line of logs.lines) {
        expect(line).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR): [^\n]*\n$/);
        expect(line).not.toContain('\u001b');
      }
      const text = logs.text();
      expect(text).toMatch(/INFO: \[RefundhubApi\] Listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(text).toMatch(
        /WARN: \[NotificationIntake\] Rejected leshua notification \(merchant 0000000018\\nFORGED LINE \\u001b\[31mred/,
      );
      expect(text).toContain(`INFO: request completed {"reqId":"${reqId}","method":"POST","path":"/notify/leshua"`);
    } finally {
      await h.close();
    }
  });
});
