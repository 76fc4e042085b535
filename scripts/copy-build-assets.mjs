#!/usr/bin/env node
// tsc emits only what it compiles: copy the plain-JS engine modules (and their .d.mts types) and the
// SQL files from src/ into dist/ beside the compiled code that imports them.
import { cp, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

const src = new URL('../src/', import.meta.url).pathname;
const dist = new URL('../dist/', import.meta.url).pathname;
const assets = /\.(mjs|d\.mts|sql)$/;

let copied = 0;
for (const entry of await readdir(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !assets.test(entry.name)) continue;
  const from = join(entry.parentPath, entry.name);
  await cp(from, join(dist, relative(src, from)));
  copied += 1;
}
console.log(`copied ${copied} non-TypeScript files into dist/`);
