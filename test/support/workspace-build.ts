import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** What `npm run build` compiles with tsc (it also builds the console: see buildConsoleIfMissing). */
const PROJECTS = ['apps/api/tsconfig.build.json', 'apps/scheduler/tsconfig.build.json'];
const WAIT_AT_MOST_MS = 10 * 60_000;
/** A lock older than this was left by a killed run. */
const STALE_AFTER_MS = 15 * 60_000;

/**
 * `npm run build`, one suite at a time. Suites in parallel workers that each built would write the
 * same dist files at once, and one could pack or run a file the other had just truncated; under the
 * lock the second build finds everything up to date and writes nothing.
 */
export function buildWorkspace(): void {
  underBuildLock(() => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', ...PROJECTS], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  });
}

/** The console's static files (apps/console/dist), built under the same lock when they are missing. */
export function buildConsoleIfMissing(): string {
  const dist = join(ROOT, 'apps', 'console', 'dist');
  underBuildLock(() => {
    if (existsSync(join(dist, 'index.html'))) return;
    execFileSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build'], {
      cwd: join(ROOT, 'apps', 'console'),
      stdio: 'pipe',
    });
  });
  return dist;
}

function underBuildLock(build: () => void): void {
  const lock = join(tmpdir(), `refundhub-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}.lock`);
  const fd = acquire(lock);
  try {
    build();
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

function acquire(lock: string): number {
  const giveUpAt = Date.now() + WAIT_AT_MOST_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale(lock)) rmSync(lock, { force: true });
    else if (Date.now() > giveUpAt) throw new Error(`another build held ${lock} for ${WAIT_AT_MOST_MS} ms`);
    // The other build is observable only through the file: wait a little, synchronously, and look again.
    else Atomics.wait(pause, 0, 0, 250);
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_AFTER_MS;
  } catch {
    return false;
  }
}
