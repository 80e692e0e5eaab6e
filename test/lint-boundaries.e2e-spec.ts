import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The import boundaries of eslint.config.mjs, checked on synthetic snippets at virtual paths.
 *
 * ESLint loads its flat config with a dynamic import(), which jest's module sandbox refuses
 * without --experimental-vm-modules; so the ESLint Node API (new ESLint({ cwd }) + lintText) runs
 * in one child node process for all cases at once. Type-aware linting is switched off there
 * (typescript-eslint's disableTypeChecked: the virtual files are not in the TypeScript project);
 * the boundary rules need no type information.
 */

type Case = readonly [filePath: string, code: string];
type Problem = { ruleId: string | null; message: string; fatal: boolean };

const RUNNER = `
const path = require('node:path');
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
  const out = [];
  for (const [filePath, code] of JSON.parse(input)) {
    const [result] = await eslint.lintText(code + '\\n', { filePath: path.join(process.cwd(), filePath) });
    out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message, fatal: Boolean(m.fatal) })));
  }
  process.stdout.write(JSON.stringify(out));
});
`;

const CORE = 'libs/refund-core/src/x.ts';
const KIT = 'libs/gateways/kit/src/x.ts';
const GATEWAY = 'libs/gateways/leshua/src/x.ts';
const CLIENT = 'libs/gateways/leshua/src/leshua.client.ts';
const FASTIFY = "import Fastify from 'fastify';";

const rejected = {
  core: [
    [CORE, "import { LeshuaModule } from '@refundhub/leshua';"],
    [CORE, "import '@refundhub/gateway-kit';"],
    [CORE, "import '@refundhub/host';"],
    [CORE, "import '@refundhub/api';"],
    [CORE, "import '@refundhub/scheduler';"],
    [CORE, "export * from '@refundhub/chaoying';"],
    [CORE, "import { x } from '../../gateways/leshua/src';"],
    [CORE, "import { x } from '../../host/src';"],
    [CORE, "import { x } from '../../../apps/api/src/main';"],
    ['libs/refund-core/src/refund/x.ts', "import '../../../gateways/leshua/src';"],
  ],
  kit: [
    [KIT, "import '@refundhub/leshua';"],
    [KIT, "import '@refundhub/host';"],
    [KIT, "import '../../../refund-core/src';"],
    [KIT, FASTIFY],
    [KIT, "import { FakeGateway } from '@refundhub/core/testing';"],
  ],
  gateway: [
    [GATEWAY, "import '@refundhub/host';"],
    [GATEWAY, "import { x } from '@refundhub/api';"],
    [GATEWAY, "import '@refundhub/scheduler';"],
    [GATEWAY, "import '@refundhub/chaoying';"],
    [GATEWAY, "import { x } from '@refundhub/umf';"],
    [GATEWAY, "export { x } from '@refundhub/baofoo';"],
    [GATEWAY, "import '@refundhub/some-future-gateway';"],
    [GATEWAY, "import '@refundhub/leshua';"],
    [GATEWAY, "import { x } from '../../chaoying/src';"],
    [GATEWAY, "import { x } from '../../../refund-core/src';"],
    [GATEWAY, "import { x } from '../../../../apps/api/src/main';"],
    ['libs/gateways/chaoying/src/chaoying.gateway.ts', "import '@refundhub/leshua';"],
    ['libs/gateways/leshua/src/sandbox/x.ts', "import '@refundhub/host';"],
  ],
  mainEntry: [
    [CLIENT, FASTIFY],
    [CLIENT, "import type { FastifyInstance } from 'fastify';"],
    [CLIENT, "import formbody from '@fastify/formbody';"],
    [CLIENT, "export * from './sandbox';"],
    [CLIENT, "import { LeshuaSandbox } from './sandbox/leshua.sandbox';"],
    [CLIENT, "import { x } from '@refundhub/gateway-kit/sandbox';"],
    [CLIENT, "import { describeGatewayContract } from '@refundhub/gateway-kit/testing';"],
    ['libs/gateways/leshua/src/internal/x.ts', "import '../sandbox';"],
  ],
} satisfies Record<string, Case[]>;

const allowed = {
  core: [
    [CORE, "import { RefundService } from './refund/refund.service';"],
    [CORE, "import { x } from '../src/errors';"],
    [CORE, "import { Injectable } from '@nestjs/common';"],
    [CORE, "import { x } from '@refundhub/core';"],
    ['libs/refund-core/src/testing/support/x.ts', "import '../../errors';"],
  ],
  kit: [
    [KIT, "import { x } from '@refundhub/core';"],
    ['libs/gateways/kit/src/sandbox/x.ts', FASTIFY],
    ['libs/gateways/kit/src/testing/x.ts', "import { FakeGateway } from '@refundhub/core/testing';"],
  ],
  gateway: [
    [GATEWAY, "import { something } from '@refundhub/gateway-kit';"],
    ['libs/gateways/leshua/src/leshua.contract.spec.ts', "import { something } from '@refundhub/gateway-kit/testing';"],
    ['libs/gateways/leshua/src/testing/x.ts', "import { something } from '@refundhub/gateway-kit/testing';"],
    [GATEWAY, "import { RefundGateway } from '@refundhub/core';"],
    [GATEWAY, "import { LeshuaSigner } from './leshua.signer';"],
    [GATEWAY, "import { x } from '../src/leshua.signer';"],
    ['libs/gateways/chaoying/src/chaoying.gateway.ts', "import '@refundhub/gateway-kit';"],
  ],
  sandbox: [
    ['libs/gateways/leshua/src/sandbox/x.ts', `${FASTIFY} import formbody from '@fastify/formbody';`],
    ['libs/gateways/leshua/src/sandbox/nested/x.ts', FASTIFY],
    ['libs/gateways/leshua/src/testing/x.ts', FASTIFY],
    ['libs/gateways/leshua/src/leshua.sandbox.spec.ts', FASTIFY],
  ],
  hosts: [
    ['libs/host/src/x.ts', "import { LeshuaSandbox } from '@refundhub/leshua/sandbox';"],
    ['libs/host/src/x.ts', "import { LeshuaModule } from '@refundhub/leshua';"],
    ['apps/api/src/x.ts', FASTIFY],
  ],
} satisfies Record<string, Case[]>;

const key = ([filePath, code]: Case) => `${filePath}\n${code}`;

describe('eslint import boundaries', () => {
  const results = new Map<string, Problem[]>();

  beforeAll(() => {
    const cases = [...Object.values(rejected), ...Object.values(allowed)].flat();
    const run = spawnSync(process.execPath, ['-e', RUNNER], {
      cwd: join(__dirname, '..'),
      input: JSON.stringify(cases),
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`eslint runner failed (${run.status}): ${run.stderr}`);
    const problems = JSON.parse(run.stdout) as Problem[][];
    cases.forEach((c, i) => results.set(key(c), problems[i]));
  });

  /** no-restricted-imports messages for one case; a parse error fails the case. */
  const boundaryErrors = (c: Case): string[] => {
    const problems = results.get(key(c));
    if (!problems) throw new Error(`not linted: ${key(c)}`);
    expect(problems.filter((p) => p.fatal)).toEqual([]);
    return problems.filter((p) => p.ruleId === 'no-restricted-imports').map((p) => p.message);
  };

  describe.each(Object.entries(rejected))('%s: rejected', (_group, cases) => {
    it.each(cases)('%s: %s', (...c) => {
      expect(boundaryErrors(c)).toHaveLength(1);
    });
  });

  describe.each(Object.entries(allowed))('%s: allowed', (_group, cases) => {
    it.each(cases)('%s: %s', (...c) => {
      expect(boundaryErrors(c)).toEqual([]);
    });
  });
});
