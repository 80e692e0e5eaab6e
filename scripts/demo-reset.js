#!/usr/bin/env node
/**
 * Removes the embedded demo's SQLite database (./data/refundhub-demo.sqlite and its journal files).
 * `npm start` already starts the demo from an empty database; this is for a clean working tree.
 * Usage: npm run demo:reset
 */
const fs = require('node:fs');
const path = require('node:path');

const base = path.resolve('data', 'refundhub-demo.sqlite');
const removed = ['', '-journal', '-wal', '-shm'].map((suffix) => base + suffix).filter((file) => fs.existsSync(file));
for (const file of removed) fs.rmSync(file, { force: true });
console.log(
  removed.length
    ? `removed ${removed.map((file) => path.relative(process.cwd(), file)).join(', ')}`
    : 'nothing to remove',
);
