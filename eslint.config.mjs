// @ts-check
/**
 * ESLint flat config (ESLint 9 + typescript-eslint 8, Prettier owns formatting).
 *
 * - TypeScript: eslint + typescript-eslint "recommended" (not type-checked), plus two type-aware
 *   correctness rules (no-floating-promises, switch-exhaustiveness-check) through the project service.
 * - Plain JS (bench/, scripts/, jest config, test/setup): CommonJS node scripts, no type info.
 * - Package boundaries: core `no-restricted-imports`, generated per package and per folder depth
 *   (flat config replaces a rule's options rather than merging them, so each block carries the full
 *   list of restrictions for its files). These blocks need no type information.
 */
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const rootDir = fileURLToPath(new URL('.', import.meta.url));

const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const SPECS = ['**/*.spec.ts', '**/*.spec.tsx', '**/*.e2e-spec.ts', 'test/**/*.ts'];
const SOURCE_EXT = '{ts,mts,cts,js,mjs,cjs}';

// ---------------------------------------------------------------------------------------------
// Import boundaries
// ---------------------------------------------------------------------------------------------

const HOSTS = '(?:host|api|scheduler)';

/** `@refundhub/*` other than the names in `allowed` (each a regex fragment for the part after the scope). */
const onlyRefundhub = (allowed, message) => ({
  regex: `^@refundhub/(?!(?:${allowed.join('|')})$)`,
  message,
});

const hostImport = (who) => ({
  regex: `^@refundhub/${HOSTS}(?:/|$)`,
  message: `${who} never imports a host (@refundhub/host, @refundhub/api, @refundhub/scheduler).`,
});

/** A relative specifier that climbs above the package root from a file `depth` folders below it. */
const escapesPackage = (depth, pkg) => ({
  regex: `^(?:\\./)?(?:\\.\\./){${depth + 1},}|^(?:\\.\\./){${depth}}\\.\\.$`,
  message: `Relative imports must stay inside ${pkg}; import another package by its @refundhub/* name.`,
});

/** What a gateway's main entry (its src/ outside sandbox/ and testing/) must not pull in. */
const SANDBOX_DEPS = [
  { regex: '^fastify(?:/|$)', message: "A gateway's main entry must not import fastify; only its sandbox/ may." },
  { regex: '^@fastify/', message: "A gateway's main entry must not import @fastify/*; only its sandbox/ may." },
  {
    regex: '^\\.\\.?/(?:\\.\\./)*sandbox(?:/|$)',
    message: "A gateway's main entry must not import its sandbox; hosts import it from '@refundhub/<gateway>/sandbox'.",
  },
  {
    regex: '^@refundhub/[^/]+/sandbox(?:/|$)',
    message: "A gateway's main entry must not import a sandbox entry point.",
  },
  {
    regex: '^@refundhub/[^/]+/testing(?:/|$)',
    message: 'A main entry must not import a testing entry point; only testing/ and specs may.',
  },
];

const MAX_DEPTH = 10;

/**
 * Blocks restricting imports for every file of one package, one block per folder depth below the
 * package root (so that `../` climbing out of the package can be told apart from `../` inside it).
 * With `mainEntryRule`, files under src/ other than sandbox/, testing/ and specs also get SANDBOX_DEPS.
 */
function packageBoundary({ name, root, ignores = [], patterns, mainEntryRule = false }) {
  const blocks = [];
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const base = [...patterns, escapesPackage(depth, name)];
    blocks.push({
      name: `refundhub/boundaries/${name}/depth-${depth}`,
      files: [`${root}/${'*/'.repeat(depth)}*.${SOURCE_EXT}`],
      ignores,
      rules: { 'no-restricted-imports': ['error', { patterns: base }] },
    });
    if (mainEntryRule && depth >= 1) {
      blocks.push({
        name: `refundhub/boundaries/${name}/main-entry/depth-${depth}`,
        files: [`${root}/src/${'*/'.repeat(depth - 1)}*.${SOURCE_EXT}`],
        ignores: [...ignores, `${root}/src/sandbox/**`, `${root}/src/testing/**`, '**/*.spec.ts'],
        rules: { 'no-restricted-imports': ['error', { patterns: [...base, ...SANDBOX_DEPS] }] },
      });
    }
  }
  return blocks;
}

const boundaries = [
  ...packageBoundary({
    name: 'libs/refund-core',
    root: 'libs/refund-core',
    patterns: [
      onlyRefundhub(
        ['core'],
        '@refundhub/core depends on no other @refundhub package (no gateway, gateway-kit or host).',
      ),
    ],
  }),
  ...packageBoundary({
    name: 'libs/gateways/kit',
    root: 'libs/gateways/kit',
    patterns: [
      onlyRefundhub(
        ['core', 'core/testing'],
        '@refundhub/gateway-kit may import only @refundhub/core (and, in testing/, its test doubles) among @refundhub/* packages.',
      ),
    ],
    mainEntryRule: true,
  }),
  ...packageBoundary({
    name: 'its gateway package',
    root: 'libs/gateways/*',
    ignores: ['libs/gateways/kit/**'],
    patterns: [
      hostImport('A gateway'),
      {
        regex: `^@refundhub/(?!core$|gateway-kit(?:/|$)|${HOSTS}(?:/|$))`,
        message: 'A gateway may import only @refundhub/core and @refundhub/gateway-kit(/*); never another gateway.',
      },
    ],
    mainEntryRule: true,
  }),
];

// ---------------------------------------------------------------------------------------------

export default defineConfig([
  globalIgnores(['**/node_modules/', '**/dist/', '**/coverage/', 'bench/results/'], 'refundhub/ignores'),

  {
    name: 'refundhub/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  {
    name: 'refundhub/typescript',
    files: TS,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: rootDir },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  {
    // The operations console runs in the browser (its vite.config.ts runs in Node).
    name: 'refundhub/console',
    files: ['apps/console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    name: 'refundhub/specs',
    files: SPECS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  {
    name: 'refundhub/javascript-commonjs',
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
  },

  {
    name: 'refundhub/javascript-esm',
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'module',
      globals: { ...globals.node },
    },
  },

  ...boundaries,

  // Last: switch off every stylistic rule that Prettier owns.
  prettier,
]);
