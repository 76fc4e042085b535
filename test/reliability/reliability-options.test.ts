/** The provider options of this area refuse what they cannot honour, at construction. */
import test from 'ava';
import { ValidationError, type OAuthProviderOptions } from '../../src/core/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
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
