import { NestFactory } from '@nestjs/core';

import { RefundReconciler, ReconcileReport } from '@refundhub/core';
import { ConfigError, LoadedConfig, loadOperatorConfig } from '@refundhub/host';

import { RECONCILE_USAGE, ReconcileArgs, parseReconcileArgs } from './reconcile-args';
import { ProgressStream, progressDisplay } from './reconcile-progress';
import { reconcileSummary, reconcileTable } from './reconcile-table';
import { ReconcileModule } from './reconcile.module';
import { StderrLogger } from './stderr-logger';

/** Nothing is left for a person. */
export const EXIT_CLEAN = 0;
/** Something is: a refund that needs a person, or one whose gateway could not be asked. */
export const EXIT_LEFT_FOR_PERSON = 1;
/** The command line or the operator configuration is wrong; nothing was compared. */
export const EXIT_USAGE = 2;

export interface ReconcileCliIo {
  argv: readonly string[];
  stdout: NodeJS.WritableStream;
  stderr: ProgressStream;
  /** Default: the operator configuration as every host reads it (REFUNDHUB_CONFIG, or ./refundhub.yaml). */
  loadConfig?: () => LoadedConfig;
}

/** `npm run reconcile`: parses, reads the configuration, compares, reports; resolves to the exit code. */
export async function runReconcileCli(io: ReconcileCliIo): Promise<number> {
  const parsed = parseReconcileArgs(io.argv);
  if (parsed.kind === 'help') {
    io.stdout.write(`${RECONCILE_USAGE}\n`);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'usage_error') {
    io.stderr.write(`${parsed.problems.map((problem) => `reconcile: ${problem}`).join('\n')}\n\n${RECONCILE_USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const loaded = (io.loadConfig ?? loadOperatorConfig)();
    const { gateway } = parsed.args;
    if (gateway !== undefined && !loaded.config.gateways[gateway as keyof typeof loaded.config.gateways]) {
      const configured = Object.keys(loaded.config.gateways).join(', ') || 'none';
      io.stderr.write(
        `reconcile: --gateway '${gateway}' is not configured in ${loaded.source} (configured: ${configured})\n`,
      );
      return EXIT_USAGE;
    }
    const report = await reconcile(loaded, parsed.args, io);
    io.stdout.write(parsed.args.json ? `${JSON.stringify(report, null, 2)}\n` : humanReport(report));
    return report.counts.needs_person + report.counts.unknown > 0 ? EXIT_LEFT_FOR_PERSON : EXIT_CLEAN;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // What the operator must change, not where in the code it was noticed.
    io.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
}

async function reconcile(loaded: LoadedConfig, args: ReconcileArgs, io: ReconcileCliIo): Promise<ReconcileReport> {
  const app = await NestFactory.createApplicationContext(ReconcileModule.forConfig(loaded), {
    logger: new StderrLogger(io.stderr),
  });
  const progress = progressDisplay(io.stderr);
  try {
    return await app.get(RefundReconciler).run({
      from: args.from,
      to: args.to,
      gateway: args.gateway,
      apply: args.apply,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
    await app.close();
  }
}

function humanReport(report: ReconcileReport): string {
  const table = report.rows.length ? `${reconcileTable(report)}\n` : '';
  return `${table}${reconcileSummary(report)}\n`;
}
