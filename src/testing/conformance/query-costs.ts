import type { DefineConformanceTest } from './define.js';
import type { Harness } from './harness.js';
import type { ConformanceAssertions } from './types.js';

async function measure(t: ConformanceAssertions, h: Harness, run: () => Promise<unknown>): Promise<number | null> {
  const { countQueries, resetQueryCount } = h.subject;
  if (!countQueries || !resetQueryCount) {
    t.log('not measured: the setup exposes no countQueries()/resetQueryCount()');
    return null;
  }
  resetQueryCount();
  await run();
  return countQueries();
}

/** Storage round trips per operation: what a busy server pays on every request. */
export function queryCosts(define: DefineConformanceTest): void {
  define('validating an access token costs one storage round trip', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const { access_token } = await h.passwordGrant(client, user);
    const count = await measure(t, h, async () => t.true(await h.authenticates(access_token)));
    if (count === null) return void t.pass();
    t.log(`validation: ${count}`);
    t.is(count, 1);
  });

  define('issuing a client_credentials token costs at most two storage round trips', async (t, h) => {
    const client = await h.registerClient();
    const count = await measure(t, h, () => h.clientCredentials(client));
    if (count === null) return void t.pass();
    t.log(`client_credentials: ${count}`);
    t.true(count <= 2, `${count} round trips`);
  });

  define('a refresh costs at most four storage round trips', async (t, h) => {
    const client = await h.registerClient();
    const { refresh_token } = await h.passwordGrant(client, await h.createUser());
    const count = await measure(t, h, async () => t.is((await h.refresh(client, refresh_token!)).status, 200));
    if (count === null) return void t.pass();
    t.log(`refresh: ${count}`);
    t.true(count <= 4, `${count} round trips`);
  });
}
