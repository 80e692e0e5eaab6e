import { MikroORM } from '@mikro-orm/core';
import type { RefundView } from '@refundhub/core';

import { ApiHarness, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';
import { CapturedLogs } from './support/captured-logs';
import { describeWithDialect } from './support/databases';

/** Customer data that a forced database error must never carry into a log line or an answer. */
const MARKER = 'CUSTOMER-MARKER-5c1e';
const SECRET = `whsec_${Buffer.from('refundhub e2e safe logs webhook secret').toString('base64')}`;

/** Makes the database refuse to write any refund row whose reason holds the marker. */
async function refuseMarkedRefunds(h: ApiHarness, on: 'insert' | 'update'): Promise<void> {
  const connection = h.app.get(MikroORM).em.fork().getConnection();
  if (h.db.options.driver === 'sqlite') {
    await connection.execute(
      `CREATE TRIGGER refuse_marked BEFORE ${on.toUpperCase()} ON refund WHEN NEW.reason LIKE '%${MARKER}%' ` +
        `BEGIN SELECT RAISE(ABORT, 'forced failure'); END`,
    );
  } else {
    // NOT VALID: rows already there stay, and any write of one of them is checked.
    await connection.execute(
      `ALTER TABLE refund ADD CONSTRAINT refuse_marked CHECK (reason NOT LIKE '%${MARKER}%') NOT VALID`,
    );
  }
}

/** A Leshua notification as its XML body, with the fields given. */
function leshuaNotification(fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><leshua>${body}</leshua>`;
}

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'What the logs hold of customer data and of text sent from outside', () => {
    let h: ApiHarness;
    const logs = new CapturedLogs();

    beforeEach(async () => {
      logs.clear();
      h = await startApi(dialect, { logs, webhooks: { secret: SECRET } });
    });

    afterEach(() => h.close());

    it('logs a database error on POST /refunds by class, code and operation, without the statement or its values', async () => {
      await refuseMarkedRefunds(h, 'insert');
      const before = await h.rowCounts();
      const answer = await h.call(
        'POST',
        '/refunds',
        refundBody({
          reason: `returned ${MARKER}`,
          order: { merchantOrderNo: `T${MARKER}`, totalAmount: 300 },
          notifyUrl: `https://shop.example.com/hooks/${MARKER}`,
          gatewayOptions: { note: MARKER, [MARKER]: 1 },
        }),
      );

      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
      });
      expect(await h.rowCounts()).toEqual(before);
      const logged = logs.text();
      expect(logged).toContain('POST /refunds failed');
      expect(logged).toMatch(dialect === 'sqlite' ? /\[SQLITE_CONSTRAINT_TRIGGER\] on insert/ : /\[23514\] on insert/);
      expect(logged).toContain('of table refund');
      expect(logged).toMatch(/at RefundLedger\.\w+ \(/);
      expect(logged).not.toContain(MARKER);
      expect(logged).not.toMatch(/insert into|values \(|Failing row/i);
    });

    it('logs a failed sync round without the values of the row it could not write', async () => {
      const created = await h.call<RefundView>('POST', '/refunds', refundBody({ reason: `returned ${MARKER}` }));
      expect(created.status).toBe(201);
      await h.makeDue(created.body.id);
      await refuseMarkedRefunds(h, 'update');
      logs.clear();

      await h.syncRound();

      const logged = logs.text();
      expect(logged).toMatch(dialect === 'sqlite' ? /\[SQLITE_CONSTRAINT_TRIGGER\] on update/ : /\[23514\] on update/);
      expect(logged).not.toContain(MARKER);
      expect(logged).not.toMatch(/Failing row|values \(/i);
    });

    it('escapes newlines and terminal escapes that a notification puts into a log line', async () => {
      const forged = `${MERCHANT}\nFORGED LOG LINE \u001b[31mred\u001b[0m\u2028`;
      const answer = await h.postRaw(
        '/notify/leshua',
        leshuaNotification({ merchant_id: forged, merchant_refund_id: 'R1\nSECOND', sign: 'x' }),
        'application/xml',
      );

      expect(answer.status).toBeLessThan(500);
      // Escaped twice: in the message itself, which a reader of the decoded JSON sees, then by JSON.
      const messages = logs.messages();
      expect(messages).toContain(`${MERCHANT}\\nFORGED LOG LINE \\u001b[31mred\\u001b[0m\\u2028`);
      expect(messages).toContain('R1\\nSECOND');
      for (const logged of [logs.text(), messages]) {
        expect(logged).not.toContain('\nFORGED');
        expect(logged).not.toContain('\u001b');
        expect(logged).not.toContain('\u2028');
      }
    });

    it('answers a notification naming a merchant with a NUL as a rejected one, not as our failure', async () => {
      const answer = await h.postRaw(
        '/notify/leshua',
        leshuaNotification({ merchant_id: `${MERCHANT}\u0000x`, merchant_refund_id: `R\u00001`, sign: 'x' }),
        'application/xml',
      );

      expect(answer.status).toBeLessThan(500);
      expect(logs.text()).not.toContain('\u0000');
      expect(logs.messages()).not.toContain('\u0000');
    });

    it('keeps MikroORM from logging statements', async () => {
      expect(h.app.get(MikroORM).config.get('debug')).toBe(false);
      await h.call('GET', `/refunds?merchantOrderNo=${ORDER.merchantOrderNo}${MARKER}`);
      expect(logs.text()).not.toContain(MARKER);
    });
  });
}
