import 'reflect-metadata';

import {
  DEMO_API_KEY,
  demoOrders,
  demoWebhookSecret,
  loadOperatorConfigOrExit,
  resetDemoDatabase,
  type DemoOrder,
} from '@refundhub/host';

import { createApiApp, listenApi } from './bootstrap';

async function main(): Promise<void> {
  const loaded = loadOperatorConfigOrExit();
  // The demo's sandboxes start empty, so its database does too: the walkthrough reads the same every time.
  if (loaded.demo) resetDemoDatabase(loaded.config);
  const app = await createApiApp(loaded);
  const url = await listenApi(app, loaded);
  if (loaded.demo) printDemoBanner(url);
}

function printDemoBanner(url: string): void {
  const curl = (order: DemoOrder) => {
    const body = JSON.stringify({
      gateway: order.gateway,
      merchantId: order.merchantId,
      refundNo: 'R20250101000001',
      amount: 100,
      order: {
        merchantOrderNo: order.merchantOrderNo,
        totalAmount: order.totalAmount,
        ...(order.payMethod ? { payMethod: order.payMethod } : {}),
        ...(order.paidAt ? { paidAt: order.paidAt.toISOString() } : {}),
      },
      reason: 'demo refund',
    });
    return [
      `  ${order.gateway}: paid order ${order.merchantOrderNo}, ${order.totalAmount} fen, merchant ${order.merchantId}. Refund part of it:`,
      `    curl -s -X POST ${url}/refunds -H 'Authorization: Bearer ${DEMO_API_KEY}' -H 'Content-Type: application/json' -d '${body}'`,
    ];
  };
  process.stdout.write(
    [
      '',
      'refundhub demo: SQLite + the gateway sandboxes, no credentials needed.',
      `  API key (demo only): ${DEMO_API_KEY}`,
      `  Webhook secret (this run only): ${demoWebhookSecret()}; add "notifyUrl" to a refund to receive signed webhooks`,
      ...demoOrders().flatMap(curl),
      `  Then watch it reach SUCCEEDED: curl -s ${url}/refunds/<id> -H 'Authorization: Bearer ${DEMO_API_KEY}'`,
      `  Every route, its answers and errors: ${url}/docs (Authorize with the key above); metrics: ${url}/metrics`,
      `  Operations console: ${url}/console (the demo key is filled in)`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`refundhub api failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
