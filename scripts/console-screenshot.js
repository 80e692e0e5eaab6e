#!/usr/bin/env node
/**
 * Takes docs/console.png: the operations console of a running demo, with a few refunds in it.
 * Usage: npm start (in another terminal), then node scripts/console-screenshot.js [http://127.0.0.1:3000]
 * Needs Debian's chromium at /usr/bin/chromium (or CHROMIUM=/path/to/chrome).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const base = (process.argv[2] || process.env.REFUNDHUB_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
const out = path.join(__dirname, '..', 'docs', 'console.png');

async function api(key, method, route, body) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok && response.status !== 409) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function main() {
  const demo = await fetch(`${base}/console/demo.json`);
  if (!demo.ok) throw new Error(`${base} is not the demo (GET /console/demo.json answered ${demo.status})`);
  const { apiKey } = await demo.json();

  const refunds = [
    {
      gateway: 'leshua',
      merchantId: '0000000018',
      refundNo: 'R20250101000001',
      amount: 100,
      order: { merchantOrderNo: 'T20250101000001', totalAmount: 300 },
    },
    {
      gateway: 'leshua',
      merchantId: '0000000018',
      refundNo: 'R20250101000002',
      amount: 50,
      order: { merchantOrderNo: 'T20250101000001', totalAmount: 300 },
    },
    {
      gateway: 'chaoying',
      merchantId: '00000001',
      refundNo: 'CYR20250101001',
      amount: 120,
      order: { merchantOrderNo: 'CY20250101000001', totalAmount: 500, payMethod: 'WECHAT' },
    },
  ];
  const created = [];
  for (const refund of refunds)
    created.push(await api(apiKey, 'POST', '/refunds', { ...refund, reason: 'customer returned the goods' }));
  for (const refund of created) await api(apiKey, 'POST', `/refunds/${refund.id}/sync`);

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'refundhub-screenshot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  try {
    await context.addInitScript(
      `localStorage.setItem('refundhub.console.preferences', '${JSON.stringify({ language: 'en', timeZone: 'Asia/Shanghai' })}')`,
    );
    const page = await context.newPage();
    await page.goto(`${base}/console/refunds/${created[0].id}`);
    // The demo key is filled in: sign in as a person would.
    await page.getByText('Demo: the demo key is filled in.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Refund R20250101000001/ }).waitFor();
    await page.getByTestId('history-entry').first().waitFor();
    await page.screenshot({ path: out, fullPage: false });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
