import 'reflect-metadata';

import { DEMO_API_KEY, DEMO_ORDER, loadOperatorConfigOrExit } from '@refundhub/host';

import { createApiApp, listenApi } from './bootstrap';

async function main(): Promise<void> {
  const loaded = loadOperatorConfigOrExit();
  const app = await createApiApp(loaded);
  const url = await listenApi(app, loaded);
  if (loaded.demo) printDemoBanner(url);
}

function printDemoBanner(url: string): void {
  const body = JSON.stringify({
    gateway: 'leshua',
    merchantId: DEMO_ORDER.merchantId,
    refundNo: 'R20250101000001',
    amount: 100,
    order: { merchantOrderNo: DEMO_ORDER.merchantOrderNo, totalAmount: DEMO_ORDER.totalAmount },
    reason: 'demo refund',
  });
  process.stdout.write(
    [
      '',
      'refundhub demo: SQLite + the Leshua sandbox, no credentials needed.',
      `  API key (demo only): ${DEMO_API_KEY}`,
      `  Paid demo order:     ${DEMO_ORDER.merchantOrderNo}, ${DEMO_ORDER.totalAmount} fen, merchant ${DEMO_ORDER.merchantId}`,
      '  Refund part of it:',
      `    curl -s -X POST ${url}/refunds -H 'Authorization: Bearer ${DEMO_API_KEY}' -H 'Content-Type: application/json' -d '${body}'`,
      `  Then watch it reach SUCCEEDED: curl -s ${url}/refunds/<id> -H 'Authorization: Bearer ${DEMO_API_KEY}'`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`refundhub api failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
