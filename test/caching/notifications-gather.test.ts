/**
 * The PostgreSQL cache-invalidation channel sends the messages published in one turn of the event
 * loop as one statement: a batch of rotations publishes one message per old token, and a NOTIFY
 * round trip each would cost the database as much as the rotation itself. Every message still
 * reaches the other processes, in the order published.
 */
import test from 'ava';
import pg from 'pg';
import type { CacheInvalidationChannel } from '../../src/core/index.js';
import { pgPoolAdapter, postgresInvalidationChannel } from '../../src/providers/sql/index.js';
import { provisioned, provisionPostgres, serverGate } from '../support/databases.js';

const gate = await serverGate('postgres', 'caching');

/** A pool whose `pg_notify` statements are counted. */
function countingPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const notifyStatements: string[] = [];
  const query = pool.query.bind(pool) as (text: string, values?: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: typeof query }).query = (text, values) => {
    if (text.includes('pg_notify')) notifyStatements.push(text);
    return query(text, values);
  };
  return { pool, notifyStatements };
}

gate.register(test.serial, 'messages published in one turn are one NOTIFY statement, and each reaches the other process in order', async (t) => {
  const database = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => database.close());
  const { pool, notifyStatements } = countingPool(database.url);
  t.teardown(() => pool.end());
  const received: string[] = [];
  const listener = postgresInvalidationChannel({ connectionString: database.url });
  const unsubscribe = await listener.subscribe((message) => received.push(message), { onLost: () => {}, onRestored: () => {} });
  t.teardown(unsubscribe);
  // The channel an OAuthSqlProvider on this pool publishes on.
  const sender = pgPoolAdapter(pool).cacheInvalidationChannel!() as CacheInvalidationChannel;
  const messages = Array.from({ length: 5 }, (_, i) => `message ${i}`);
  await Promise.all(messages.map((message) => sender.publish(message)));
  t.is(notifyStatements.length, 1, 'one statement for the five');
  const deadline = Date.now() + 5000;
  while (received.length < messages.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  t.deepEqual(received, messages);
  await sender.publish('later');
  t.is(notifyStatements.length, 2, 'a message of a later turn goes in a statement of its own');
});
