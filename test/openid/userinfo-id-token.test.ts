/**
 * The UserInfo response and the ID token of one authorization-code exchange name the same `sub`
 * (OIDC Core §5.3.2: the client "MUST verify that the OP that responded was the intended OP ...
 * the sub Claim in the UserInfo Response MUST be verified to exactly match the sub Claim in the ID
 * Token"), public or pairwise.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { idTokenOf, startIdTokenServer } from './support/id-token-server.js';

async function userinfoSub(origin: string, accessToken: string): Promise<unknown> {
  const response = await fetch(`${origin}/auth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (response.status !== 200) throw new Error(`userinfo: ${response.status}`);
  return ((await response.json()) as { sub?: unknown }).sub;
}

test('OIDC Core §5.3.2 — the UserInfo sub is exactly the ID token sub, for a public client', async (t) => {
  const server = await startIdTokenServer();
  t.teardown(() => server.close());
  const answer = await server.exchange(await server.issueCode({ scope: ['openid'] }));
  const { payload } = await server.verify(idTokenOf(answer));
  t.is(payload.sub, server.user.id);
  t.is(await userinfoSub(server.origin, String(answer.json['access_token'])), payload.sub);
});

test('OIDC Core §5.3.2 — the UserInfo sub is exactly the ID token sub, for a pairwise client (OIDC Core §8.1)', async (t) => {
  const server = await startIdTokenServer({ openid: { pairwiseSecret: randomBytes(32).toString('base64url') } });
  t.teardown(() => server.close());
  const client = await server.createClient('pairwise-rp', { subjectType: 'pairwise' });
  const answer = await server.exchange(await server.issueCode({ client, scope: ['openid'] }), client);
  const { payload } = await server.verify(idTokenOf(answer), { audience: client.id });
  t.not(payload.sub, server.user.id);
  t.is(await userinfoSub(server.origin, String(answer.json['access_token'])), payload.sub);
});
