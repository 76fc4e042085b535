/**
 * The OpenID Provider Metadata (OIDC Discovery §3) and the authorization server metadata (RFC 8414
 * §2) describe one server: every member they share must have one value, and with OpenID Connect on
 * the RFC 8414 document carries the OpenID members too.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { closeUserInfoDatabase, ISSUER, startUserInfoServer, type UserInfoServer } from './support/userinfo-server.js';

test.after.always(closeUserInfoDatabase);

async function both(server: UserInfoServer, issuerPath = ''): Promise<{ openid: Record<string, unknown>; oauth: Record<string, unknown> }> {
  const get = async (path: string) => (await (await fetch(`${server.origin}${path}`)).json()) as Record<string, unknown>;
  return {
    openid: await get(`${issuerPath}/.well-known/openid-configuration`),
    oauth: await get(`/.well-known/oauth-authorization-server${issuerPath}`),
  };
}

test.serial('OIDC Discovery §3 — every member the two documents share has the same value in both (RFC 8414 §2)', async (t) => {
  const server = await startUserInfoServer({
    provider: { openid: { pairwiseSecret: randomBytes(32).toString('base64url') }, dynamicRegistration: { policy: 'public-clients' } },
    router: { authorize: { get: async () => {} }, scopesSupported: ['read', 'profile'] },
  });
  t.teardown(() => server.close());
  const { openid, oauth } = await both(server);
  const shared = Object.keys(oauth).filter((member) => member in openid);
  t.true(shared.length > 10);
  for (const member of shared) t.deepEqual(openid[member], oauth[member], member);
});

test.serial('RFC 8414 §2 — with openid on, the authorization server metadata carries the OpenID members as well', async (t) => {
  const server = await startUserInfoServer();
  t.teardown(() => server.close());
  const { openid, oauth } = await both(server);
  t.deepEqual(Object.keys(oauth).sort(), Object.keys(openid).sort());
  t.is(oauth['userinfo_endpoint'], `${ISSUER}/auth/userinfo`);
});

test.serial('OIDC Discovery §3 — every RFC 8414 member is in the OpenID document, for an issuer with a path too', async (t) => {
  const server = await startUserInfoServer({ provider: { issuer: `${ISSUER}/tenant` } });
  t.teardown(() => server.close());
  const { openid, oauth } = await both(server, '/tenant');
  for (const [member, value] of Object.entries(oauth)) t.deepEqual(openid[member], value, member);
  t.is(openid['issuer'], `${ISSUER}/tenant`);
});
