import type { DefineConformanceTest } from './define.js';
import type { Harness } from './harness.js';

/** Round trips of `run`; throws when the setup gives no means of counting them. */
async function measure(h: Harness, run: () => Promise<unknown>): Promise<number> {
  const { countQueries, resetQueryCount } = h.subject;
  if (!countQueries || !resetQueryCount) {
    throw new Error(
      'setup returned no countQueries()/resetQueryCount(): return both, or pass countsQueries: false to register the query-cost tests as skipped',
    );
  }
  resetQueryCount();
  await run();
  return countQueries();
}

/** Storage round trips per operation: what a busy server pays on every request. */
export function queryCosts(define: DefineConformanceTest): void {
  define.requiring('countsQueries', 'validating an access token costs one storage round trip', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const { access_token } = await h.passwordGrant(client, user);
    const count = await measure(h, async () => t.true(await h.authenticates(access_token)));
    t.log(`validation: ${count}`);
    t.is(count, 1);
  });

  define.requiring('countsQueries', 'issuing a client_credentials token costs at most two storage round trips', async (t, h) => {
    const client = await h.registerClient();
    const count = await measure(h, () => h.clientCredentials(client));
    t.log(`client_credentials: ${count}`);
    t.true(count <= 2, `${count} round trips`);
  });

  define.requiring('countsQueries', 'a refresh costs at most four storage round trips', async (t, h) => {
    const client = await h.registerClient();
    const { refresh_token } = await h.passwordGrant(client, await h.createUser());
    const count = await measure(h, async () => t.is((await h.refresh(client, refresh_token!)).status, 200));
    t.log(`refresh: ${count}`);
    t.true(count <= 4, `${count} round trips`);
  });
}
