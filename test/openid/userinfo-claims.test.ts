/**
 * What the UserInfo endpoint says about the user (OIDC Core §5.3.2, §5.4): `sub`, then the standard
 * claims the token's scopes allow, from the application's `openid.claims` hook or the default.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import type { UserClaims, UserClaimsRequest } from '../../src/core/index.js';
import { subjectFor } from '../../src/core/provider/openid/subject-identifier.js';
import { closeUserInfoDatabase, getUserInfo, REDIRECT_URI, startUserInfoServer, type UserInfoServer } from './support/userinfo-server.js';

test.after.always(closeUserInfoDatabase);

/** Everything OIDC Core §5.1 names, and two claims of the application's own. */
const EVERYTHING: UserClaims = {
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
  preferred_username: 'alice',
  picture: 'https://pictures.example/alice.png',
  locale: 'en-GB',
  updated_at: 1_700_000_000,
  email: 'alice@example.com',
  email_verified: true,
  address: { formatted: '1 Rabbit Hole, Oxford', country: 'GB' },
  phone_number: '+44 1865 000000',
  phone_number_verified: false,
  employee_number: '4711',
  groups: ['staff'],
};

async function withHook(
  t: { teardown(fn: () => Promise<void>): void },
  claims: (request: UserClaimsRequest) => UserClaims | null | Promise<UserClaims | null>,
  extra: { onError?: (error: unknown) => void } = {},
): Promise<UserInfoServer> {
  const server = await startUserInfoServer({ provider: { openid: { claims } }, router: extra });
  t.teardown(() => server.close());
  return server;
}

test.serial('OIDC Core §5.4 — a token holding only openid gets sub alone, and the claims hook is not asked', async (t) => {
  let asked = 0;
  const server = await withHook(t, () => {
    asked += 1;
    return EVERYTHING;
  });
  const { json } = await getUserInfo(server, await server.userToken('openid'));
  t.deepEqual(json, { sub: server.user.id });
  t.is(asked, 0);
});

test.serial("OIDC Core §5.4 — without a claims hook, the profile scope releases the default user store's username as preferred_username", async (t) => {
  const server = await startUserInfoServer();
  t.teardown(() => server.close());
  const { json } = await getUserInfo(server, await server.userToken('openid profile'));
  t.deepEqual(json, { sub: server.user.id, preferred_username: 'alice' });
});

test.serial('OIDC Core §5.4 — the email scope releases email and email_verified, and nothing of the profile', async (t) => {
  const server = await withHook(t, () => EVERYTHING);
  const { json } = await getUserInfo(server, await server.userToken('openid email'));
  t.deepEqual(json, { sub: server.user.id, email: 'alice@example.com', email_verified: true });
});

test.serial('OIDC Core §5.4 — the profile scope releases the profile claims only', async (t) => {
  const server = await withHook(t, () => EVERYTHING);
  const { json } = await getUserInfo(server, await server.userToken('openid profile'));
  t.deepEqual(json, {
    sub: server.user.id,
    name: 'Alice Liddell',
    family_name: 'Liddell',
    given_name: 'Alice',
    preferred_username: 'alice',
    picture: 'https://pictures.example/alice.png',
    locale: 'en-GB',
    updated_at: 1_700_000_000,
  });
});

test.serial('OIDC Core §5.4 — the address and phone scopes release address, phone_number and phone_number_verified', async (t) => {
  const server = await withHook(t, () => EVERYTHING);
  const { json } = await getUserInfo(server, await server.userToken('openid address phone'));
  t.deepEqual(json, {
    sub: server.user.id,
    address: { formatted: '1 Rabbit Hole, Oxford', country: 'GB' },
    phone_number: '+44 1865 000000',
    phone_number_verified: false,
  });
});

test.serial("OIDC Core §5.4 — claims that are not standard are dropped, whatever scopes the token holds", async (t) => {
  const server = await withHook(t, () => EVERYTHING);
  const { json } = await getUserInfo(server, await server.userToken('openid profile email address phone read'));
  t.false('employee_number' in json);
  t.false('groups' in json);
});

test.serial("OIDC Core §5.3.2 — the hook cannot change sub: the response's is the provider's", async (t) => {
  const server = await withHook(t, () => ({ sub: 'someone-else', name: 'Alice' }));
  const { json } = await getUserInfo(server, await server.userToken('openid profile'));
  t.deepEqual(json, { sub: server.user.id, name: 'Alice' });
});

test.serial('OIDC Core §5.3.2 — claims with null or empty values are left out rather than sent empty', async (t) => {
  const server = await withHook(t, () => ({ name: null, nickname: '', given_name: 'Alice', address: { formatted: '', country: null } }));
  const { json } = await getUserInfo(server, await server.userToken('openid profile address'));
  t.deepEqual(json, { sub: server.user.id, given_name: 'Alice' });
});

test.serial('OIDC Core §5.1 — updated_at given as a Date is sent as seconds since the epoch', async (t) => {
  const server = await withHook(t, () => ({ updated_at: new Date('2030-01-01T00:00:00.500Z') }));
  const { json } = await getUserInfo(server, await server.userToken('openid profile'));
  t.is(json['updated_at'], 1_893_456_000);
});

test.serial('OIDC Core §5.4 — a hook that returns null releases sub alone', async (t) => {
  const server = await withHook(t, () => null);
  const { status, json } = await getUserInfo(server, await server.userToken('openid profile email'));
  t.is(status, 200);
  t.deepEqual(json, { sub: server.user.id });
});

test.serial('OIDC Core §5.3 — the hook is told the user, the client, the granted scopes and that the claims go to the UserInfo response', async (t) => {
  const requests: UserClaimsRequest[] = [];
  const server = await withHook(t, (request) => {
    requests.push(request);
    return {};
  });
  await getUserInfo(server, await server.userToken('openid email'));
  t.deepEqual(requests, [{ userId: server.user.id, clientId: server.client.id, scope: ['openid', 'email'], use: 'userinfo' }]);
});

test.serial('OIDC Core §5.3 — a hook that throws is answered 500 server_error without its message, which goes to onError', async (t) => {
  const reported: unknown[] = [];
  const server = await withHook(
    t,
    () => {
      throw new Error('directory at ldap://10.0.0.7 refused the bind');
    },
    { onError: (error) => reported.push(error) },
  );
  const response = await fetch(server.userinfo, { headers: { authorization: `Bearer ${await server.userToken('openid email')}` } });
  const text = await response.text();
  t.is(response.status, 500);
  t.is((JSON.parse(text) as { error: string }).error, 'server_error');
  t.false(text.includes('ldap'));
  t.is(reported.length, 1);
  t.regex(String((reported[0] as Error).message), /ldap/);
});

test.serial('OIDC Core §5.1 — a hook that returns a claim of the wrong type is answered 500 and reported, never passed on', async (t) => {
  const reported: unknown[] = [];
  const server = await withHook(t, () => ({ email: 'alice@example.com', email_verified: 'yes' }), { onError: (error) => reported.push(error) });
  const { status, json } = await getUserInfo(server, await server.userToken('openid email'));
  t.is(status, 500);
  t.is(json['error'], 'server_error');
  t.regex(String((reported[0] as Error).message), /email_verified/);
});

test.serial("OIDC Core §8.1 — a pairwise client is told the pairwise sub, the one its ID tokens carry", async (t) => {
  const pairwiseSecret = randomBytes(32).toString('base64url');
  const server = await startUserInfoServer({ provider: { openid: { pairwiseSecret } } });
  t.teardown(() => server.close());
  await server.sql.query(`UPDATE oauth_clients SET subject_type = 'pairwise' WHERE id = $1`, [server.client.id]);
  const { json } = await getUserInfo(server, await server.userToken('openid'));
  const expected = subjectFor(server.user.id, { id: server.client.id, subjectType: 'pairwise', sectorIdentifier: null, redirectUris: [REDIRECT_URI] }, Buffer.from(pairwiseSecret, 'base64url'));
  t.not(expected, server.user.id);
  t.deepEqual(json, { sub: expected });
});
