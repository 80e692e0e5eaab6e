import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildWorkspace } from './workspace-build';

/**
 * A host app outside the workspace, installed from refundhub's packed tarballs, as a user gets it
 * from npm: built once, packed once, installed once (`--prefer-offline`) and run once per database.
 */
const ROOT = join(__dirname, '..', '..');
const PACKED = [
  'libs/refund-core',
  'libs/gateways/kit',
  'libs/gateways/leshua',
  'libs/gateways/chaoying',
  'libs/gateways/umf',
  'libs/gateways/baofoo',
  'libs/host',
];
/** What the host app itself depends on besides refundhub, at the versions this repository pins. */
const HOST_DEPENDENCIES = [
  '@mikro-orm/better-sqlite',
  '@mikro-orm/core',
  '@mikro-orm/knex',
  '@mikro-orm/migrations',
  '@mikro-orm/nestjs',
  '@mikro-orm/postgresql',
  '@nestjs/common',
  '@nestjs/config',
  '@nestjs/core',
  '@nestjs/event-emitter',
  // The sandbox of @refundhub/leshua/sandbox runs on fastify; the host app itself is on Express.
  '@fastify/formbody',
  'fastify',
  'reflect-metadata',
  'rxjs',
];

type Manifest = { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** The host app's compiler settings: a user's strict TypeScript, resolving packages by their `exports` maps. */
const HOST_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
  },
  files: ['host-app.ts'],
};

/** Runs a command; a failure carries what it printed (a compiler's errors go to stdout). */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The host app's folder, the files of each packed tarball by package name, and a way to run the app. */
export type PackedHost = { dir: string; tarballFiles: Record<string, string[]>; runApp(database: unknown): string };

export function installPackedHost(): PackedHost {
  buildWorkspace();
  const dir = mkdtempSync(join(tmpdir(), 'refundhub-host-'));
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs);
  const packed: Record<string, string> = {};
  const tarballFiles: Record<string, string[]> = {};
  for (const workspace of PACKED) {
    const [result] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', tarballs], join(ROOT, workspace)),
    ) as {
      name: string;
      filename: string;
      files: { path: string }[];
    }[];
    packed[result.name] = `file:${join(tarballs, result.filename)}`;
    tarballFiles[result.name] = result.files.map((file) => file.path);
  }
  const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const pinned = Object.fromEntries(HOST_DEPENDENCIES.map((name) => [name, rootManifest.dependencies[name]]));
  const dependencies = {
    ...pinned,
    '@nestjs/platform-express': rootManifest.dependencies['@nestjs/core'],
    '@types/node': rootManifest.devDependencies['@types/node'],
    ...packed,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, dependencies }, null, 2));
  // Install scripts skipped: better-sqlite3's would download its binary from GitHub, which a CI
  // machine with only the npm registry cannot reach; the same version's binary is copied instead.
  run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  const binary = join('node_modules', 'better-sqlite3', 'build', 'Release');
  mkdirSync(join(dir, binary), { recursive: true });
  copyFileSync(join(ROOT, binary, 'better_sqlite3.node'), join(dir, binary, 'better_sqlite3.node'));
  cpSync(join(__dirname, 'packed-host', 'host-app.ts'), join(dir, 'host-app.ts'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(HOST_TSCONFIG, null, 2));
  // The workspace's compiler, but nothing else of the workspace: types come from the installed tarballs.
  run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js'), '-p', 'tsconfig.json'], dir);
  return {
    dir,
    tarballFiles,
    runApp: (database) => {
      writeFileSync(join(dir, 'refundhub.yaml'), hostConfigYaml(database));
      const { REFUNDHUB_CONFIG: _ignored, ...env } = process.env;
      return execFileSync(process.execPath, ['host-app.js'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...env, HOST_DATABASE: JSON.stringify(database), NODE_PATH: '' },
      });
    },
  };
}

/** The host's refundhub.yaml: its database, and Leshua at the sandbox the app starts (`LESHUA_BASE_URL`). */
function hostConfigYaml(database: unknown): string {
  return [
    `database: ${JSON.stringify(database)}`,
    'gateways:',
    '  leshua:',
    '    baseUrl: ${LESHUA_BASE_URL}',
    '    merchants:',
    '      "0000000042": { tradeKey: HOSTTRADEKEY0123456789ABCDEF0123, notifyKey: HOSTNOTIFYKEY0123456789ABCDEF012 }',
    '',
  ].join('\n');
}
