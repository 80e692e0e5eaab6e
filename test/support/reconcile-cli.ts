import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { LESHUA_SANDBOX_MODULE_OPTIONS } from '@refundhub/leshua/sandbox';
import { LoadedConfig, validateOperatorConfig } from '@refundhub/host';

import { LESHUA_KEYS } from './api-harness';
import type { SharedDatabaseApi } from './shared-database-hosts';

const ROOT = join(__dirname, '..', '..');
const CLI_ENTRY = join(ROOT, 'apps', 'scheduler', 'src', 'reconcile.ts');
/** As the crash test's worker: the libraries from their sources, the sandbox entries as packages. */
const CLI_PROJECT = join(__dirname, 'reconcile-cli.tsconfig.json');
/** Compiling and running the command takes seconds on a loaded machine; far less than this. */
const CLI_TIMEOUT_MS = 60_000;

/**
 * The operator file of a reconciliation next to that API, as an operator writes it: the same
 * database, and the API's Leshua sandbox by its URL, as a gateway in a process of its own.
 */
export function reconcileOperatorFile(api: SharedDatabaseApi): Record<string, unknown> {
  return {
    database: api.db.options,
    scheduler: { enabled: true, intervalMs: 3_600_000 },
    outbox: { intervalMs: 3_600_000 },
    webhooks: { intervalMs: 3_600_000 },
    gateways: {
      leshua: {
        baseUrl: api.sandbox.baseUrl,
        timeoutMs: 2_000,
        merchants: LESHUA_KEYS,
        ...LESHUA_SANDBOX_MODULE_OPTIONS,
      },
    },
  };
}

export function loadedReconcileConfig(file: Record<string, unknown>): LoadedConfig {
  const source = 'e2e reconcile';
  return { config: validateOperatorConfig(file, { source, env: {} }), source, demo: false };
}

/** A stream that keeps what is written to it; `isTTY` as a terminal or a pipe would say. */
export class CapturedStream extends Writable {
  text = '';

  constructor(readonly isTTY = false) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command in a process of its own (its sources through swc, as `npm run reconcile` runs its build), the operator file in REFUNDHUB_CONFIG. */
export async function runReconcileProcess(file: Record<string, unknown>, args: readonly string[]): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'refundhub-reconcile-'));
  const configFile = join(dir, 'refundhub.json');
  writeFileSync(configFile, JSON.stringify(file));
  try {
    return await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, ['--require', '@swc-node/register', CLI_ENTRY, ...args], {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: CLI_PROJECT, REFUNDHUB_CONFIG: configFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const run: CliRun = { code: null, stdout: '', stderr: '' };
      child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString('utf8')));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`reconcile did not finish within ${CLI_TIMEOUT_MS} ms: ${run.stderr}`));
      }, CLI_TIMEOUT_MS);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ ...run, code });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
