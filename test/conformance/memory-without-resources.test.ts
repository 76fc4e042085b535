/**
 * The conformance suite on a storage that implements no resource port (RFC 8707): the in-memory
 * reference storage with the port's four methods hidden, declared `storesResources: false`. The
 * tests that register resources are skipped, saying so; those of what such a server must do
 * instead — refuse every `resource` with `invalid_target` — run.
 */
import test from 'ava';
import { RESOURCE_METHODS } from '../../src/core/storage/resource-port.js';
import { runWithoutPort } from './support/without-port.js';

runWithoutPort(test, 'memory without resources', RESOURCE_METHODS, { storesResources: false });
