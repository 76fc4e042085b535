/**
 * MySQL/MariaDB have no notification channel: a provider with an in-process cache there says once,
 * at start, that revocations through other processes take up to `maxAgeMs` — never a silent
 * degradation.
 */
import test from 'ava';
import { provisioned, provisionMariaDb, serverGate } from '../support/databases.js';
import { startCacheNode } from './support/node-processes.js';

const gate = await serverGate('mariadb', 'caching');

gate.register(test, 'with a cache on MariaDB, the missing notification channel is logged once at start, naming the bound', async (t) => {
  const db = provisioned(await provisionMariaDb());
  const node = await startCacheNode({ STACK: 'sql-mariadb', DATABASE_URL: db.url, MAX_AGE_MS: '2000' }, 'mariadb node');
  t.teardown(async () => {
    await node.stop();
    await db.close();
  });
  const notice = await node.notice('cache_invalidation_unavailable');
  t.is(
    notice.message,
    "no notification channel on MySQL/MariaDB: revocations through other processes take up to maxAgeMs (2000 ms) to reach this one's in-process caches",
  );
  t.is(node.notices.length, 1);
});
