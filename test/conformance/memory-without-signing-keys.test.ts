/**
 * The conformance suite on a storage that implements no signing-key port (RFC 9068 JWT access
 * tokens): the in-memory reference storage with the port's four methods hidden, declared
 * `storesSigningKeys: false`. The JWT tests are skipped, saying so; the test of what such a server
 * must do instead — refuse a resource with `tokenFormat: 'jwt'`, and say why `provider.keys` cannot
 * work — runs.
 */
import test from 'ava';
import { SIGNING_KEY_METHODS } from '../../src/core/storage/signing-key-port.js';
import { runWithoutPort } from './support/without-port.js';

runWithoutPort(test, 'memory without signing keys', SIGNING_KEY_METHODS, { storesSigningKeys: false });
