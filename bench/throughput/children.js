'use strict';
/**
 * The throughput stage's child processes, seen from the process that measures: each is forked with
 * an IPC channel, its output kept (the tail goes into error messages), spoken to by request and
 * reply, and killed when this process exits, whatever happens.
 */
const { fork } = require('node:child_process');

const CALL_TIMEOUT_MS = 120_000;
const OUTPUT_LIMIT = 16 * 1024;
const children = new Set();

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * With BENCH_PROFILE_DIR set, the API and the reference write a V8 CPU profile of their whole run
 * there (V8's own file name, with the pid the run prints), for the profiles BENCHMARKS.md shows.
 */
function profileArgs(name) {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir || !['api', 'reference'].includes(name)) return process.execArgv;
  return [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/**
 * The API runs with the heap flags its start commands give it (package.json `start`, docker/Dockerfile);
 * BENCH_API_NODE_ARGS replaces those flags (empty: none), BENCH_REFERENCE_NODE_ARGS gives the
 * reference some (none by default), to measure what a flag does to either.
 */
const flags = (value) => value.split(' ').filter(Boolean);
const START_ARGS = {
  api: flags(process.env.BENCH_API_NODE_ARGS ?? '--max-old-space-size=512 --max-semi-space-size=8'),
  reference: flags(process.env.BENCH_REFERENCE_NODE_ARGS ?? ''),
};

/**
 * Forks `file` with `config` as JSON in REFUNDHUB_BENCH_CHILD. The child sends `{ ready }` once it
 * listens (or `{ fatal }`), then answers each `{ seq, call, args }` with `{ seq, reply }` or
 * `{ seq, error }`. Resolves `{ ready, pid, call(name, args), close() }` once it is ready.
 */
async function startChild(name, file, config) {
  const child = fork(file, [], {
    env: { ...process.env, REFUNDHUB_BENCH_CHILD: JSON.stringify(config) },
    execArgv: [...profileArgs(name), ...(START_ARGS[name] ?? [])],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (process.env.BENCH_CHILD_STDERR) child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const failure = (what) => new Error(`${name} ${what}\n--- ${name} output ---\n${output}`);

  /** The first message `match` accepts; an error when the child says `fatal`, exits or stays silent. */
  const first = (match, what) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(reject, failure(`${what}: no answer within ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      );
      const onMessage = (message) => {
        if (message.fatal) finish(reject, failure(`fatal: ${message.fatal}`));
        else if (match(message)) finish(resolve, message);
      };
      const finish = (settle, value) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        settle(value);
      };
      child.on('message', onMessage);
      exited.then(({ code, signal }) =>
        finish(reject, failure(`exited (code ${code}, signal ${signal}) before: ${what}`)),
      );
    });

  const { ready } = await first((m) => m.ready !== undefined, 'start');
  let seq = 0;
  const call = async (callName, args = {}) => {
    const mine = ++seq;
    const answered = first((m) => m.seq === mine, callName);
    child.send({ seq: mine, call: callName, args });
    const message = await answered;
    if (message.error) throw failure(`${callName} failed: ${message.error}`);
    return message.reply;
  };
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // A polite close first (the API closes its pool, the reference its database); then a kill.
      if (child.connected) child.send({ call: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return { ready, pid: child.pid, call, close };
}

/**
 * The child's side: sends `{ ready }`, then serves `handlers[call](args)` for each request; `close`
 * runs `onClose` and exits. A start that throws is reported as `{ fatal }`.
 */
function serveParent(start) {
  const fail = (error) => {
    process.send?.({ fatal: error.stack || String(error) });
    process.exit(1);
  };
  // The parent owns the run: when it goes, so does this child (Ctrl-C reaches both from the terminal).
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => undefined);
  Promise.resolve()
    .then(() => start(JSON.parse(process.env.REFUNDHUB_BENCH_CHILD || '{}')))
    .then(({ ready, handlers = {}, onClose = async () => undefined }) => {
      process.on('message', async ({ seq, call, args }) => {
        if (call === 'close') {
          await onClose().catch(() => undefined);
          process.exit(0);
        }
        try {
          if (!handlers[call]) throw new Error(`no such call: ${call}`);
          process.send({ seq, reply: (await handlers[call](args)) ?? null });
        } catch (error) {
          process.send({ seq, error: error.stack || String(error) });
        }
      });
      process.send({ ready });
    })
    .catch(fail);
}

module.exports = { startChild, serveParent };
