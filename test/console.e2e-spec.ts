import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RefundView } from '@refundhub/core';
import { LESHUA_SANDBOX_ERRORS } from '@refundhub/leshua/sandbox';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { CONSOLE_CSP } from '../apps/api/src/console/console-routes';
import { ApiHarness, CY_MERCHANT, CY_ORDER, KEYS, refundBody, startApi } from './support/api-harness';
import { buildConsoleIfMissing } from './support/workspace-build';

/**
 * The operations console in a real browser (Debian's chromium), against the real API on SQLite with
 * the gateway sandboxes. Without /usr/bin/chromium the suite is skipped and named at the end of the
 * run; under CI=true a missing browser fails it.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const describeInBrowser = HAS_CHROMIUM || process.env.CI === 'true' ? describe : describe.skip;

const HOSTILE = '<img src=x onerror=alert(1)>';
/** Where the console keeps the signed-in key: this tab's sessionStorage. */
const SESSION_ITEM = 'refundhub.console.apiKey';
const REASON = 'Bank statement of 2026-11-30 shows the refund paid out';

describeInBrowser('[browser] the operations console', () => {
  let h: ApiHarness;
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  /** Every dialog (alert, confirm) a page opened: hostile data must never open one. */
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`${CHROMIUM} is required under CI=true (apt-get install chromium)`);
    buildConsoleIfMissing();
    h = await startApi('sqlite', { chaoying: { timeoutMs: 1000 }, console: true });
    profile = mkdtempSync(join(tmpdir(), 'refundhub-console-browser-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // English, so that the assertions read as the page does; zh-CN is the console's default.
    const preferences = JSON.stringify({ language: 'en', timeZone: 'UTC' });
    await context.addInitScript(`localStorage.setItem('refundhub.console.preferences', '${preferences}')`);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await h?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterEach(async () => {
    await page?.close();
  });

  /** A table row showing `second` below the row showing `first`. */
  const rowAfter = (first: string, second: string) =>
    `tbody tr:has(a:text-is("${first}")) ~ tr:has(a:text-is("${second}"))`;
  const open = (path: string) => page.goto(`${h.url}/console${path}`);

  async function signIn(key: string, path = '/'): Promise<void> {
    await open(path);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
  }

  /** A ChaoYing refund the gateway moved to CHANGE (转入代发): PROCESSING, flagged for a person. */
  async function refundNeedingAttention(refundNo: string): Promise<string> {
    h.chaoying!.planRefund(refundNo, { outcome: 'change', afterQueries: 0 });
    const created = await h.call<RefundView>('POST', '/refunds', {
      gateway: 'chaoying',
      merchantId: CY_MERCHANT,
      refundNo,
      amount: 100,
      order: { ...CY_ORDER },
      reason: 'returned',
    });
    await h.makeDue(created.body.id);
    await h.syncRound();
    const flagged = await h.call<RefundView>('GET', `/refunds/${created.body.id}`);
    expect(flagged.body.needsAttention).toMatchObject({ reason: 'gateway_change' });
    return created.body.id;
  }

  it('is served without a key, with its security headers, index.html for client routes, cached assets', async () => {
    const index = await fetch(`${h.url}/console/refunds/rf_anything?status=FAILED`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-store');
    expect(index.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await index.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    // No inline script: the CSP would refuse it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const asset = await fetch(`${h.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    // Read to the end: a body left unread holds its connection open, and the API's close waits for it.
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // Outside the demo, no key is offered to the page.
    const demo = await fetch(`${h.url}/console/demo.json`);
    expect([demo.status, await demo.text()]).toEqual([404, '{}']);
  });

  it('signs in, filters to a refund needing attention, and resolves it with a reason the history shows', async () => {
    expect((await h.call('POST', '/refunds', refundBody({ refundNo: 'RCALM1' }))).status).toBe(201);
    const id = await refundNeedingAttention('CY-ATTN-1');
    await signIn(KEYS.operator, '/refunds');
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('operator');
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.not.toContain(KEYS.operator);

    await page.getByRole('link', { name: 'RCALM1' }).waitFor();
    await page.getByTestId('filter-needs-attention').click();
    await page.getByTitle('Yes').click();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/needsAttention=true/);
    await page.getByRole('link', { name: 'RCALM1' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'CY-ATTN-1' }).waitFor();

    await page.getByRole('link', { name: 'CY-ATTN-1' }).click();
    await page.getByRole('heading', { name: 'Refund CY-ATTN-1' }).waitFor();
    await page.getByTestId('resolve').click();
    await page.getByLabel('Reason (kept in the history)').fill(REASON);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Yes, resolve' }).click();

    await page.getByTestId('action-result').getByText('Resolved: the refund is SUCCEEDED.').waitFor();
    const operatorEntry = page.getByTestId('history-entry').filter({ hasText: 'by operator' });
    await operatorEntry.getByText(REASON).waitFor();
    await expect(operatorEntry.textContent()).resolves.toContain('PROCESSING → SUCCEEDED');
    expect((await h.call<RefundView>('GET', `/refunds/${id}`)).body).toMatchObject({
      status: 'SUCCEEDED',
      needsAttention: null,
    });
    // The gateway exchanges sit in the timeline too: the submission, and the query that met CHANGE.
    await page.getByTestId('exchange-entry').filter({ hasText: 'submit' }).first().waitFor();
    await page.getByTestId('exchange-entry').filter({ hasText: 'CHANGE' }).first().waitFor();
    expect(await page.getByTestId('exchanges-missing').count()).toBe(0);
  });

  it('shows the overview: refunds by gateway and status, the ones needing attention, and links into the list', async () => {
    await refundNeedingAttention('CY-ATTN-3');
    await signIn(KEYS.operator, '/');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const chaoying = page
      .locator('tbody tr')
      .filter({ has: page.getByRole('link', { name: 'chaoying', exact: true }) });
    await chaoying.waitFor();
    // Its PROCESSING count links to the list with that filter, and the refund needing attention is counted.
    await chaoying.getByRole('link', { name: '1', exact: true }).first().waitFor();
    await page.getByRole('link', { name: 'chaoying', exact: true }).click();
    await page.waitForURL(/\/console\/refunds\?gateway=chaoying/);
    await page.getByRole('link', { name: 'CY-ATTN-3' }).waitFor();
    // Above the list, the gateway's counts by status; one sets the status filter.
    await page
      .getByTestId('status-counts')
      .getByText(/^PROCESSING [1-9]/)
      .click();
    await page.waitForURL(/status=PROCESSING/);
    await page.getByRole('link', { name: 'CY-ATTN-3' }).waitFor();
  });

  it('sorts oldest first by the created column, and the address reproduces filter and order', async () => {
    for (const refundNo of ['RSORT1', 'RSORT2']) {
      expect((await h.call('POST', '/refunds', refundBody({ refundNo, amount: 1 }))).status).toBe(201);
    }
    await signIn(KEYS.all, '/refunds?gateway=leshua&status=PROCESSING');
    await page.locator(rowAfter('RSORT2', 'RSORT1')).waitFor();

    await page.getByRole('columnheader', { name: 'Created' }).click();
    await page.waitForURL(/order=asc/);
    await page.locator(rowAfter('RSORT1', 'RSORT2')).waitFor();
    const link = page.url();
    expect(new URL(link).searchParams.get('gateway')).toBe('leshua');

    // Another tab has no session of its own: it signs in, and lands on the same list.
    const other = await context.newPage();
    await other.goto(link);
    await other.getByLabel('API key').fill(KEYS.all);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.locator(rowAfter('RSORT1', 'RSORT2')).waitFor();
    await other.close();
  });

  it('shows no resolve button to a key without the operator scope, and the API refuses it anyway', async () => {
    const id = await refundNeedingAttention('CY-ATTN-2');
    await signIn(KEYS.all, `/refunds/${id}`);
    await page.getByRole('heading', { name: 'Refund CY-ATTN-2' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).waitFor();
    expect(await page.getByTestId('resolve').count()).toBe(0);

    const refused = await h.call('POST', `/refunds/${id}/resolve`, { status: 'FAILED', reason: 'x' }, KEYS.all);
    expect(refused.status).toBe(403);
  });

  it('shows a hostile gateway text as text: no dialog, the literal characters visible', async () => {
    h.sandbox.rejectNext(LESHUA_SANDBOX_ERRORS.amountExceeds, HOSTILE, { service: 'unified_refund' });
    const created = await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'RHOSTILE1', amount: 50 }));
    expect(created.body).toMatchObject({ status: 'FAILED', failure: { message: HOSTILE } });

    await signIn(KEYS.all, `/refunds/${created.body.id}`);
    await page.getByTestId('failure').getByText(HOSTILE, { exact: false }).waitFor();
    await page.getByTestId('timeline').getByText(HOSTILE, { exact: false }).first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('returns to sign-in on a wrong key, and when the key stops being accepted', async () => {
    await open('/');
    await page.getByLabel('API key').fill('rh_wrong_key_0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sign-in-error').getByText('This API key was not accepted.').waitFor();

    await signIn(KEYS.all, '/refunds');
    // As if the key were revoked or expired: the next call answers 401.
    const stored = JSON.parse((await page.evaluate(`sessionStorage.getItem('${SESSION_ITEM}')`)) as string);
    expect(stored).toMatchObject({ key: KEYS.all, me: { name: 'all' } });
    await page.evaluate(
      `sessionStorage.setItem('${SESSION_ITEM}', ${JSON.stringify(JSON.stringify({ ...stored, key: 'rh_revoked_0000' }))})`,
    );
    await page.reload();
    await page.getByTestId('session-ended').waitFor();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(`sessionStorage.getItem('${SESSION_ITEM}')`)).toBeNull();
  });
});
