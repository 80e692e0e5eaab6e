import { Presets, SingleBar } from 'cli-progress';

import type { ReconcileProgress } from '@refundhub/core';

/** A stream the bar may draw on: a terminal, or anything that says whether it is one. */
export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

export interface ProgressDisplay {
  update(progress: ReconcileProgress): void;
  stop(): void;
}

/** A progress bar on `stream` when it is a terminal; nothing otherwise (a pipe, a file, a log). */
export function progressDisplay(stream: ProgressStream): ProgressDisplay {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { stream, format: 'Reconciling [{bar}] {value}/{total} refunds', hideCursor: true, etaBuffer: 50 },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: ({ done, total }) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
