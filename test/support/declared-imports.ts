import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Which packages a workspace's sources import without declaring them.
 *
 * The rule: a file the workspace ships (in its tsconfig.build.json) may import only what its own
 * package.json declares (dependencies, peerDependencies, optionalDependencies), because that is
 * all an installed tarball brings along. A file it does not ship (specs, unbuilt testing support)
 * runs only inside the monorepo, so the root's devDependencies apply to it as well.
 */

type Manifest = {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

export type UndeclaredImport = { workspace: string; file: string; packageName: string };

const BUILTINS = new Set(builtinModules);

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The workspace folders of the root manifest; a trailing `/*` means every folder below it. */
export function workspaceDirs(root: string): string[] {
  return (readManifest(root).workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name));
  });
}

/** The package a bare specifier names (`@scope/name/sub` gives `@scope/name`); none for relative or Node's own. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

/** Every module a source text imports, re-exports, requires or loads with import(), type-only ones included. */
export function importedSpecifiers(sourceText: string): string[] {
  return ts.preProcessFile(sourceText, true, true).importedFiles.map((file) => file.fileName);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The files the workspace's build compiles into its dist, read from its tsconfig.build.json. */
function shippedFiles(workspaceDir: string): Set<string> {
  const configPath = join(workspaceDir, 'tsconfig.build.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
  return new Set(parsed.fileNames.map((file) => join(file)));
}

function declaredBy(manifest: Manifest): Set<string> {
  return new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
}

export function undeclaredImports({ root, workspaceDir }: { root: string; workspaceDir: string }): UndeclaredImport[] {
  const own = declaredBy(readManifest(workspaceDir));
  const withRootDev = new Set([...own, ...Object.keys(readManifest(root).devDependencies ?? {})]);
  const shipped = shippedFiles(workspaceDir);
  const workspace = relative(root, workspaceDir);
  return sourceFiles(join(workspaceDir, 'src')).flatMap((file) => {
    const allowed = shipped.has(file) ? own : withRootDev;
    return importedSpecifiers(readFileSync(file, 'utf8'))
      .map(packageNameOf)
      .filter((name): name is string => name !== undefined && !allowed.has(name))
      .map((packageName) => ({ workspace, file: relative(workspaceDir, file), packageName }));
  });
}
