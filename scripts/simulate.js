#!/usr/bin/env node
/**
 * Deterministic simulation of refund-core with its gateways: seeded interleavings of requests,
 * notifications, syncs, faults and crashes, every invariant checked after every step.
 * Usage: npm run simulate -- --seeds 200 | --seed 17 [--path 0:1:2] | --help (see test/simulation/cli.ts)
 */
const path = require('node:path');

// The TypeScript sources are compiled as they load, with the packages mapped to their sources.
process.env.SWC_NODE_PROJECT = path.join(__dirname, 'simulate.tsconfig.json');
require('@swc-node/register');
require('reflect-metadata');

const { main } = require('../test/simulation/cli.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
