#!/usr/bin/env node
// Empties dist/ before a build: tsc never deletes what it emitted for a source file since removed,
// and `files` in package.json ships all of dist/, so a stale module would reach the published package.
import { rm } from 'node:fs/promises';

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
