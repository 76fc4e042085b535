import { pkcePair } from './harness.js';
import type { DefineConformanceTest } from './define.js';

/** purgeExpired: deletes what can no longer be used, in bounded batches. */
export function housekeeping(define: DefineConformanceTest): void {
  define('purgeExpired deletes expired tokens and codes in batches and keeps live ones', async (t, h) => {
    const shortLived = await h.registerClient({ grants: ['client_credentials', 'authorization_code'], accessTokenLifetime: 60, authorizationCodeLifetime: 60 });
    const longLived = await h.registerClient({ grants: ['client_credentials'], accessTokenLifetime: 7200 });
    const user = await h.createUser();
    const expiring: string[] = [];
    for (let i = 0; i < 5; i += 1) expiring.push((await h.clientCredentials(shortLived)).access_token);
    for (let i = 0; i < 3; i += 1) await h.authorize(shortLived, user, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    const live = (await h.clientCredentials(longLived)).access_token;
    h.clock.advance(120);
    const purged = await h.provider.purgeExpired({ batchSize: 2 });
    t.deepEqual(purged, { tokens: 5, codes: 3, attemptCounters: 0, signingKeys: 0, sessions: 0 });
    t.true(await h.authenticates(live));
    t.deepEqual(await h.provider.purgeExpired({ batchSize: 2 }), { tokens: 0, codes: 0, attemptCounters: 0, signingKeys: 0, sessions: 0 });
  });

  define('purgeExpired keeps a token whose refresh token is still live', async (t, h) => {
    const client = await h.registerClient({ accessTokenLifetime: 60 });
    const body = await h.passwordGrant(client, await h.createUser());
    h.clock.advance(120);
    t.deepEqual(await h.provider.purgeExpired(), { tokens: 0, codes: 0, attemptCounters: 0, signingKeys: 0, sessions: 0 });
    t.is((await h.refresh(client, body.refresh_token!)).status, 200);
  });
}
