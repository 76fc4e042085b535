/** The caches are opt-in and their limits are checked when the provider is built. */
import test from 'ava';
import { OAuthProvider, ValidationError } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

const build = (options: object) => () => new OAuthProvider(new MemoryStorage(), options);

test('a staleness bound over one minute is refused', (t) => {
  const error = t.throws(build({ validatedTokenCache: { maxAgeMs: 60_001 } }), { instanceOf: ValidationError });
  t.is(error?.field, 'validatedTokenCache.maxAgeMs');
});

test('a fractional or non-positive bound is refused', (t) => {
  t.throws(build({ clientCache: { maxAgeMs: 0 } }), { instanceOf: ValidationError });
  t.throws(build({ clientCache: { maxAgeMs: 1.5 } }), { instanceOf: ValidationError });
});

test('an entry limit outside 1…1 000 000 is refused', (t) => {
  t.throws(build({ validatedTokenCache: { maxEntries: 0 } }), { instanceOf: ValidationError });
  t.throws(build({ validatedTokenCache: { maxEntries: 1_000_001 } }), { instanceOf: ValidationError });
});

test('a cache option that is neither a boolean nor an object is refused', (t) => {
  t.throws(build({ validatedTokenCache: 'yes' }), { instanceOf: ValidationError });
  t.throws(build({ clientCache: null }), { instanceOf: ValidationError });
});

test('true, false and {} are accepted', (t) => {
  t.notThrows(build({ validatedTokenCache: true, clientCache: false }));
  t.notThrows(build({ validatedTokenCache: {}, clientCache: {} }));
});
