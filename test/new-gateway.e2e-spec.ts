import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * `npm run new:gateway -- <id>` (scripts/new-gateway.js): the package it stamps type-checks with the
 * wiring, passes the gateway contract suite against its own sandbox and lints clean; bad or taken ids
 * are refused with exit code 2 and nothing written.
 *
 * Everything runs in a copy of the repository (its git-tracked files, plus the generator's own files
 * while they are not tracked yet) with the real node_modules symlinked in, so the working tree is never
 * touched. The copy has no node_modules/@refundhub/acme link (`npm install` would add it): tsconfig
 * paths and jest's moduleNameMapper resolve every @refundhub/<id> to its sources by wildcard.
 */

const REPO = join(__dirname, '..');
const HOST_FILES = [
  'libs/host/src/gateways/installed-gateways.ts',
  'libs/host/package.json',
  'libs/host/tsconfig.build.json',
];
/** The heavy steps each take 5 to 30 s alone; on a busy 2-core machine, several times that. */
const SLOW = 180_000;

interface Run {
  code: number | null;
  output: string;
}

/** Runs a node script of the copy and collects what it printed; never rejects. */
function node(cwd: string, script: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: null, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function filesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(root, path) : [path];
  });
}

/** The repository's files as git sees them (tracked, and new ones it does not ignore); deleted ones are skipped. */
function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), 'refundhub-new-gateway-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of new Set(files)) {
    const from = join(REPO, file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(from, join(copy, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

describe('npm run new:gateway', () => {
  let copy: string;
  const generate = (...args: string[]) => node(copy, 'scripts/new-gateway.js', args);
  /** What a run of the generator may change: the gateway folders and the host's wiring. */
  const state = () => ({
    gateways: filesUnder(copy, 'libs/gateways').filter((file) => !file.includes('/dist/')),
    host: Object.fromEntries(HOST_FILES.map((file) => [file, readFileSync(join(copy, file), 'utf8')])),
  });
  const read = (file: string) => readFileSync(join(copy, file), 'utf8');

  beforeAll(() => {
    copy = copyRepository();
  });

  afterAll(() => {
    if (!copy) return;
    // The link first, so that nothing below can reach the real node_modules.
    unlinkSync(join(copy, 'node_modules'));
    rmSync(copy, { recursive: true, force: true });
  });

  it('prints its usage for --help', async () => {
    const run = await generate('--help');
    expect(run).toMatchObject({ code: 0, output: expect.stringContaining('Usage: npm run new:gateway -- <id>') });
  });

  it.each([
    ['Acme', 'lowercase'],
    ['1acme', 'starting with a letter'],
    ['a', '2 to 20'],
    ['a'.repeat(21), '2 to 20'],
    ['ac-me', 'lowercase letters or digits'],
    ['kit', 'reserved'],
    ['core', 'reserved'],
    ['host', 'reserved'],
    ['api', 'reserved'],
    ['scheduler', 'reserved'],
    ['leshua', 'already exists'],
  ])('refuses the id %j (%s) with exit code 2 and writes nothing', async (id, why) => {
    const before = state();
    const run = await generate(id);
    expect(run).toMatchObject({ code: 2, output: expect.stringContaining(why) });
    expect(state()).toEqual(before);
  });

  it.each<[string[]]>([[[]], [['acme', 'other']], [['--force', 'acme']]])(
    'refuses the arguments %j with exit code 2',
    async (args) => {
      const before = state();
      await expect(generate(...args)).resolves.toMatchObject({ code: 2 });
      expect(state()).toEqual(before);
    },
  );

  it('stamps libs/gateways/acme with the Leshua shape and wires it into the hosts', async () => {
    const run = await generate('acme');
    expect(run).toMatchObject({ code: 0, output: expect.stringContaining('Next steps') });
    expect(run.output).toContain('npm install');

    const files = filesUnder(copy, 'libs/gateways/acme').map((file) => relative('libs/gateways/acme', file));
    expect(files.sort()).toEqual(
      [
        'README.md',
        'package.json',
        'tsconfig.build.json',
        ...[
          'client',
          'codec',
          'config',
          'contract.spec',
          'credentials',
          'definition',
          'gateway',
          'mapper',
          'module-definition',
          'module',
          'options',
          'signer',
          'types',
          'validation',
        ].map((part) => `src/acme.${part}.ts`),
        'src/index.ts',
        'src/sandbox/acme-sandbox.starter.ts',
        'src/sandbox/acme.sandbox.ts',
        'src/sandbox/index.ts',
        'src/testing/acme-test-app.ts',
      ].sort(),
    );
    const pkg = JSON.parse(read('libs/gateways/acme/package.json'));
    const leshua = JSON.parse(read('libs/gateways/leshua/package.json'));
    expect(pkg).toMatchObject({
      name: '@refundhub/acme',
      exports: leshua.exports,
      peerDependencies: leshua.peerDependencies,
    });
    expect(pkg.dependencies).not.toHaveProperty('fast-xml-parser');
    expect(read('libs/gateways/acme/src/index.ts')).not.toMatch(/from '\.\/sandbox/);
    expect(read('libs/gateways/acme/src/acme.gateway.ts')).toMatch(
      /@RefundGatewayProvider\(\)\s+@Injectable\(\)\s+export class AcmeGateway implements RefundGateway/,
    );
    expect(read('libs/gateways/acme/src/acme.contract.spec.ts')).toContain(
      "describeGatewayContract('Acme', acmeContractHarness, { notifications: false, neverReceived: 'not_found' })",
    );

    const installed = read('libs/host/src/gateways/installed-gateways.ts');
    expect(installed).toContain("import { acmeGateway } from '@refundhub/acme';");
    expect(installed).toMatch(/INSTALLED_GATEWAYS[^=]*=\s*\[[^\]]*\bleshuaGateway\b[^\]]*\bacmeGateway,?\s*\]/);
    const dependencies = Object.keys(JSON.parse(read('libs/host/package.json')).dependencies);
    expect(dependencies).toContain('@refundhub/acme');
    expect(dependencies).toEqual([...dependencies].sort());
    expect(JSON.parse(read('libs/host/tsconfig.build.json')).references).toContainEqual({
      path: '../gateways/acme/tsconfig.build.json',
    });
  });

  it('refuses to stamp acme a second time, writing nothing', async () => {
    const before = state();
    await expect(generate('acme')).resolves.toMatchObject({
      code: 2,
      output: expect.stringContaining('already exists'),
    });
    expect(state()).toEqual(before);
  });

  it('wires idempotently: stamped again after the folder is removed, the host gains no second line', async () => {
    const before = state();
    rmSync(join(copy, 'libs/gateways/acme'), { recursive: true });
    const run = await generate('acme');
    expect(run).toMatchObject({ code: 0, output: expect.stringContaining('already wired') });
    expect(state()).toEqual(before);
  });

  it(
    'type-checks, the stamped package and the wiring with it (tsc -p tsconfig.json --noEmit)',
    async () => {
      const run = await node(copy, 'node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit']);
      expect(run).toEqual({ code: 0, output: '' });
    },
    SLOW,
  );

  it(
    "passes the gateway contract suite against its own sandbox (jest libs/gateways/acme, the copy's config)",
    async () => {
      const run = await node(copy, 'node_modules/jest/bin/jest.js', ['libs/gateways/acme', '--ci']);
      expect(run).toMatchObject({ code: 0, output: expect.stringMatching(/Tests:\s+\d+ passed, \d+ total/) });
      expect(run.output).toContain('Acme: the gateway contract');
    },
    SLOW,
  );

  it(
    'lints clean, import boundaries included (eslint libs/gateways/acme --max-warnings 0)',
    async () => {
      const run = await node(copy, 'node_modules/eslint/bin/eslint.js', ['libs/gateways/acme', '--max-warnings', '0']);
      expect(run).toEqual({ code: 0, output: '' });
    },
    SLOW,
  );
});
