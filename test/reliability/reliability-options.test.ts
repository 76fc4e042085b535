/** The provider options of this area refuse what they cannot honour, at construction. */
import test from 'ava';
import { ValidationError, type OAuthProviderOptions } from '../../src/core/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { provisionPGlite } from '../support/databases.js';

test('throttle limits must be whole, positive and bounded', async (t) => {
  const database = await provisionPGlite();
  t.teardown(() => database.close());
  const sql = pgliteAdapter(database.pglite);
  for (const throttle of [
    { clients: { maxFailures: 0, windowSeconds: 60 } },
    { users: { maxFailures: 5, windowSeconds: 1.5 } },
    { users: { maxFailures: 5 } },
    { maxTrackedKeys: -1 },
    { sources: { maxFailures: 10, windowSeconds: 0 } },
    { slowdown: { afterFailures: 0 } },
    { slowdown: { maxDelayMs: 60_000 } },
    { passwordChecks: { concurrency: 0 } },
    { passwordChecks: { perSource: 1.5 } },
    { passwordChecks: 'few' },
    { store: 'postgres' },
    'on',
  ]) {
    t.throws(() => new OAuthSqlProvider(sql, { throttle: throttle as OAuthProviderOptions['throttle'] }), { instanceOf: ValidationError }, JSON.stringify(throttle));
  }
});

test('storageTimeout must be 0 or a whole number of milliseconds up to ten minutes', async (t) => {
  const database = await provisionPGlite();
  t.teardown(() => database.close());
  const sql = pgliteAdapter(database.pglite);
  for (const storageTimeout of [-1, 1.5, 600_001, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => new OAuthSqlProvider(sql, { storageTimeout }), { instanceOf: ValidationError }, String(storageTimeout));
  }
  for (const storageTimeout of [0, 1, 600_000]) t.notThrows(() => new OAuthSqlProvider(sql, { storageTimeout }));
});

test('the throttle accepts false, the documented forms and a limiter factory', async (t) => {
  const database = await provisionPGlite();
  t.teardown(() => database.close());
  const sql = pgliteAdapter(database.pglite);
  const forms: Array<OAuthProviderOptions['throttle']> = [
    false,
    {},
    { sources: false, clients: false, users: false, slowdown: false, passwordChecks: false },
    { slowdown: { afterFailures: 5, windowSeconds: 60, stepMs: 100, maxDelayMs: 1000 }, passwordChecks: { concurrency: 4, queue: 0, perSource: 1 } },
    { store: 'memory' as const },
    { store: () => new RateLimiterMemory({ points: 1, duration: 1 }) },
  ];
  for (const throttle of forms) {
    t.notThrows(() => new OAuthSqlProvider(sql, { throttle }), JSON.stringify(throttle));
  }
});
