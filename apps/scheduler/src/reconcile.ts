import 'reflect-metadata';

import { describeError } from '@refundhub/core';

import { runReconcileCli } from './reconcile/run-reconcile';

runReconcileCli({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reconcile failed: ${describeError(error)}\n`);
    // The run did not finish: whatever it did not compare is still to be looked at.
    process.exitCode = 1;
  },
);
