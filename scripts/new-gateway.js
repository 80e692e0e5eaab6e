#!/usr/bin/env node
/**
 * Stamps a new gateway package with the shape of @refundhub/leshua and installs it in the standalone hosts.
 * Usage: npm run new:gateway -- <id>        (e.g. npm run new:gateway -- acme)
 *
 * The package comes from scripts/templates/gateway/: each `*.tpl` file is copied to libs/gateways/<id>/
 * without its `.tpl` suffix, with these placeholders replaced, in file names and contents alike:
 *   __ID__        the id as given          acme
 *   __Id__        capitalised              Acme   (classes: AcmeModule)
 *   __ID_UPPER__  upper case               ACME   (constants: ACME_GATEWAY_ID)
 * The `.tpl` suffix keeps tsc, jest, ESLint and Prettier off the templates.
 *
 * Then it wires the package into libs/host (import + INSTALLED_GATEWAYS entry, dependency, project
 * reference), each step skipped when already done. Everything is prepared in memory first: a refused
 * id (exit code 2) or an unexpected host file (exit code 1) writes nothing.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TEMPLATES = path.join(__dirname, 'templates', 'gateway');
const GATEWAYS_DIR = 'libs/gateways';
/** Names taken by other @refundhub packages (or kept for them). */
const RESERVED = ['kit', 'core', 'host', 'api', 'scheduler'];
const HOST = {
  installed: 'libs/host/src/gateways/installed-gateways.ts',
  packageJson: 'libs/host/package.json',
  tsconfig: 'libs/host/tsconfig.build.json',
};
const VERSION = '0.1.0';

const USAGE = `Usage: npm run new:gateway -- <id>
       node scripts/new-gateway.js <id>

Stamps libs/gateways/<id>, a gateway package with the shape of @refundhub/leshua (module, options,
operator schema, client, signer, mapper, sandbox, contract spec) speaking a placeholder JSON protocol,
and installs it in the standalone hosts (libs/host).

<id>  2 to 20 lowercase letters or digits, starting with a letter (e.g. acme); not an existing
      folder of ${GATEWAYS_DIR}, nor ${RESERVED.join(', ')}.

Exit codes: 0 done, 2 refused (bad or taken id, bad arguments), 1 unexpected error.`;

/** A refusal of the command line: printed with the usage hint, exit code 2. */
class UsageError extends Error {}

function names(id) {
  return { id, Id: id[0].toUpperCase() + id.slice(1), ID_UPPER: id.toUpperCase() };
}

function checkId(id) {
  if (!/^[a-z][a-z0-9]{1,19}$/.test(id)) {
    throw new UsageError(
      `Invalid gateway id '${id}': use 2 to 20 lowercase letters or digits, starting with a letter (e.g. acme).`,
    );
  }
  if (RESERVED.includes(id)) {
    throw new UsageError(
      `Invalid gateway id '${id}': it is reserved (${RESERVED.join(', ')} name other refundhub packages).`,
    );
  }
  if (fs.existsSync(path.join(ROOT, GATEWAYS_DIR, id))) {
    throw new UsageError(
      `Gateway '${id}' already exists: ${GATEWAYS_DIR}/${id} is there. Pick another id, or remove that folder first.`,
    );
  }
}

function render(text, n) {
  return text.replace(/__(ID_UPPER|Id|ID)__/g, (_, key) => (key === 'ID' ? n.id : n[key]));
}

/** Template files, relative to TEMPLATES, in a stable order. */
function templateFiles(dir = TEMPLATES) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return templateFiles(full);
      return entry.name.endsWith('.tpl') ? [path.relative(TEMPLATES, full)] : [];
    });
}

/** The new package's files: repo-relative path and text. */
function packageFiles(n) {
  const files = templateFiles();
  if (files.length === 0) throw new Error(`No templates in ${path.relative(ROOT, TEMPLATES)}`);
  return files.map((file) => ({
    path: path.posix.join(GATEWAYS_DIR, n.id, render(file.split(path.sep).join('/'), n).replace(/\.tpl$/, '')),
    text: render(fs.readFileSync(path.join(TEMPLATES, file), 'utf8'), n),
  }));
}

// ---------------------------------------------------------------------------------------------
// Wiring into libs/host. Each function returns the new text (the same text when nothing is missing)
// and what it did, and throws when the file does not have the expected shape.
// ---------------------------------------------------------------------------------------------

function wireInstalledGateways(source, n) {
  const name = `${n.id}Gateway`;
  const done = [];
  let text = source;

  if (!new RegExp(`from\\s+['"]@refundhub/${n.id}['"]`).test(text)) {
    // After the last import statement.
    const imports = [...text.matchAll(/^import\b[^;]*;[^\S\n]*$/gm)];
    const last = imports[imports.length - 1];
    const at = last ? last.index + last[0].length : 0;
    const line = `import { ${name} } from '@refundhub/${n.id}';`;
    text = last ? `${text.slice(0, at)}\n${line}${text.slice(at)}` : `${line}\n${text}`;
    done.push(`import { ${name} } from '@refundhub/${n.id}'`);
  }

  const list = /(INSTALLED_GATEWAYS\b[^=]*=\s*\[)([^\]]*)\]/.exec(text);
  if (!list) throw new Error(`${HOST.installed}: cannot find the INSTALLED_GATEWAYS array literal`);
  const [whole, open, entries] = list;
  if (!new RegExp(`\\b${name}\\b`).test(entries)) {
    const after = list.index + whole.length;
    text = `${text.slice(0, list.index)}${open}${withEntry(entries, name)}]${text.slice(after)}`;
    done.push(`${name} added to INSTALLED_GATEWAYS`);
  }
  return { text, done };
}

/** The entries of an array literal with `name` appended, on the same line or on a line of its own like the others. */
function withEntry(entries, name) {
  const trailing = /\s*$/.exec(entries)[0];
  const body = entries.slice(0, entries.length - trailing.length);
  if (body.trim() === '') return name;
  if (!entries.includes('\n')) return `${body.replace(/,$/, '')}, ${name}`;
  const indent = (/\n([ \t]*)\S/.exec(entries) || [null, '  '])[1];
  return `${body.replace(/,?$/, ',')}\n${indent}${name},${trailing}`;
}

function wireHostPackage(source, n) {
  const pkg = JSON.parse(source);
  const dependency = `@refundhub/${n.id}`;
  if (pkg.dependencies && pkg.dependencies[dependency]) return { text: source, done: [] };
  const dependencies = { ...pkg.dependencies, [dependency]: VERSION };
  const sorted = Object.keys(dependencies).sort();
  pkg.dependencies = Object.fromEntries(sorted.map((key) => [key, dependencies[key]]));
  return { text: `${JSON.stringify(pkg, null, 2)}\n`, done: [`dependency "${dependency}": "${VERSION}"`] };
}

function wireHostTsconfig(source, n) {
  const reference = `../gateways/${n.id}/tsconfig.build.json`;
  const config = JSON.parse(source);
  if ((config.references || []).some((ref) => path.posix.normalize(ref.path) === reference))
    return { text: source, done: [] };
  const done = [`reference ${reference}`];
  // Edit the text rather than re-serialise it, so the file keeps its layout.
  const list = /("references"\s*:\s*\[)([^\]]*)(\])/.exec(source);
  if (list) {
    const [whole, open, entries, close] = list;
    const sample = /\{(\s*)"path"(\s*:\s*)"[^"]*"(\s*)\}/.exec(entries);
    const [, before, colon, after] = sample || [null, '', ': ', ''];
    const item = `{${before}"path"${colon}"${reference}"${after}}`;
    let inner;
    if (entries.trim() === '') inner = item;
    else if (entries.includes('\n')) {
      const indent = (/\n([ \t]+)\S/.exec(entries) || [null, '    '])[1];
      const trailing = /\s*$/.exec(entries)[0];
      inner = `${entries.slice(0, entries.length - trailing.length)},\n${indent}${item}${trailing}`;
    } else inner = `${entries.replace(/\s*$/, '')}, ${item}`;
    const text = source.slice(0, list.index) + open + inner + close + source.slice(list.index + whole.length);
    const check = JSON.parse(text);
    if (check.references.some((ref) => ref.path === reference)) return { text, done };
  }
  config.references = [...(config.references || []), { path: reference }];
  return { text: `${JSON.stringify(config, null, 2)}\n`, done };
}

// ---------------------------------------------------------------------------------------------

/**
 * Formats the TypeScript files the way the repository's Prettier config wants (line breaks depend on the
 * id's length, so the templates cannot carry them). Skipped, with a note, where Prettier is not installed.
 */
async function formatted(files) {
  let prettier;
  try {
    prettier = require('prettier');
  } catch {
    console.warn('new-gateway: prettier is not installed; the stamped files are left unformatted.');
    return files;
  }
  return Promise.all(
    files.map(async (file) => {
      if (!file.path.endsWith('.ts')) return file;
      const filepath = path.join(ROOT, file.path);
      const config = (await prettier.resolveConfig(filepath)) || {};
      return { ...file, text: await prettier.format(file.text, { ...config, filepath }) };
    }),
  );
}

async function main(argv) {
  const options = argv.filter((arg) => arg.startsWith('-'));
  const args = argv.filter((arg) => !arg.startsWith('-'));
  if (options.includes('--help') || options.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (options.length) throw new UsageError(`Unknown option ${options[0]}.`);
  if (args.length !== 1) throw new UsageError(args.length ? 'Give one gateway id.' : 'Missing the gateway id.');
  const n = names(args[0]);
  checkId(n.id);

  const files = await formatted(packageFiles(n));
  const wiring = [
    [HOST.installed, wireInstalledGateways],
    [HOST.packageJson, wireHostPackage],
    [HOST.tsconfig, wireHostTsconfig],
  ].map(([file, wire]) => {
    const full = path.join(ROOT, file);
    if (!fs.existsSync(full)) throw new Error(`${file} is missing: is this the refundhub repository?`);
    const source = fs.readFileSync(full, 'utf8');
    return { path: file, source, ...wire(source, n) };
  });
  // The host's list as Prettier lays it out once it no longer fits on one line.
  if (wiring[0].text !== wiring[0].source) [wiring[0]] = await formatted([wiring[0]]);

  for (const file of files) {
    const full = path.join(ROOT, file.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.text, { flag: 'wx' });
  }
  for (const step of wiring) {
    if (step.text !== step.source) fs.writeFileSync(path.join(ROOT, step.path), step.text);
  }

  const dir = `${GATEWAYS_DIR}/${n.id}`;
  console.log(`Stamped @refundhub/${n.id} in ${dir} (${files.length} files):`);
  for (const file of files) console.log(`  ${file.path}`);
  console.log('\nWired it into the standalone hosts:');
  for (const step of wiring)
    console.log(`  ${step.path}: ${step.done.length ? step.done.join('; ') : 'already wired'}`);
  console.log(`
Next steps:
  1. npm install
       links the new workspace package (node_modules/@refundhub/${n.id}) and records it in package-lock.json;
       commit the lock file with the package (npm ci refuses a lock that lacks a workspace).
  2. Fill in the protocol: every PLACEHOLDER and TODO in ${dir}/src (what, in ${dir}/README.md):
       the wire messages, the signature rule, the codes that are definite failures, the sandbox.
  3. Run the contract suite and the checks:
       npx jest ${dir}
       npx eslint ${dir} --max-warnings 0
       npm run typecheck`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError) {
      console.error(`new-gateway: ${error.message}\nRun with --help for usage.`);
      process.exitCode = 2;
    } else {
      console.error(`new-gateway: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
