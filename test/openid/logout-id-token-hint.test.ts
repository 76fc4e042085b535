import test from 'ava';
import { createHmac } from 'node:crypto';
import { foreignKey, SIGNED_OUT_URI, startLogoutServer, type Answer, type LogoutServer } from './support/logout-server.js';

let server: LogoutServer;
test.before(async () => {
  server = await startLogoutServer();
});
test.after.always(async () => {
  await server?.close();
});

/** A refusal: the error page, 400, no redirect (OIDC RP-Initiated Logout §4). */
function assertRefused(t: import('ava').ExecutionContext, answer: Answer, reason: RegExp): void {
  t.is(answer.status, 400);
  t.is(answer.location, null);
  t.regex(answer.headers.get('content-type') ?? '', /^text\/html/);
  t.regex(answer.html, reason);
}

async function sessionExists(id: string): Promise<boolean> {
  return (await server.sessionRows()).some((row) => row.id === id);
}

test('OIDC RP-Initiated Logout §2 — a valid id_token_hint naming the signed-in user logs out at once', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice });
  const answer = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI, state: 's1' }), jar);
  t.is(answer.status, 302);
  t.is(answer.location, `${SIGNED_OUT_URI}?state=s1`);
  t.false(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — an expired id_token_hint is still accepted: it identifies, it does not authorize', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const now = Math.floor(server.clock.now().getTime() / 1000);
  const hint = await server.idToken({ sub: server.users.alice, claims: { iat: now - 7200, exp: now - 3600 } });
  const answer = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI }), jar);
  t.is(answer.status, 302);
  t.is(answer.location, SIGNED_OUT_URI);
  t.false(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — an id_token_hint from another issuer is refused with an error page, the session kept', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice, claims: { iss: 'https://attacker.example' } });
  const answer = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI }), jar);
  assertRefused(t, answer, /another issuer/);
  t.true(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — an id_token_hint signed by a key this server does not publish is refused', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const unknownKid = await server.idToken({ sub: server.users.alice, key: { ...foreignKey(), kid: 'not-a-kid-of-ours' } });
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: unknownKid }), jar), /not signed by a key this server publishes/);
  // The provider's kid on another key: the signature does not verify.
  const { kid } = await server.providerKey();
  const forged = await server.idToken({ sub: server.users.alice, key: { ...foreignKey(), kid } });
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: forged }), jar), /signature does not verify/);
  t.true(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — an id_token_hint with alg none or an HMAC is refused', async (t) => {
  const { kid } = await server.providerKey();
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(server.clock.now().getTime() / 1000);
  const claims = encode({ iss: 'https://login.example', sub: server.users.alice, aud: 'rp', iat: now, exp: now + 600 });
  const unsigned = `${encode({ alg: 'none', kid, typ: 'JWT' })}.${claims}.`;
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: unsigned })), /asymmetric algorithm/);
  // An HMAC keyed with what a verifier could mistake for a secret: the published key's text.
  const header = encode({ alg: 'HS256', kid, typ: 'JWT' });
  const jwks = (await (await fetch(`${server.origin}/auth/jwks`)).json()) as { keys: Array<{ kid: string }> };
  const secret = JSON.stringify(jwks.keys.find((key) => key.kid === kid));
  const mac = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: `${header}.${claims}.${mac}` })), /asymmetric algorithm/);
});

test('OIDC RP-Initiated Logout §2 — a JWT that is not an ID token (typ at+jwt) is refused as a hint', async (t) => {
  const hint = await server.idToken({ sub: server.users.alice, header: { typ: 'at+jwt' } });
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: hint })), /not an ID token/);
});

test('OIDC RP-Initiated Logout §2 — client_id must be the client the id_token_hint was issued to', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice, aud: 'rp' });
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: hint, client_id: 'other' }), jar), /client_id is not the client/);
  t.true(await sessionExists(sessionId));
  // The same client in both: accepted.
  const answer = await server.get(server.logoutUrl({ id_token_hint: hint, client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI }), jar);
  t.is(answer.location, SIGNED_OUT_URI);
});

test('OIDC RP-Initiated Logout §2 — an id_token_hint whose audience is several clients names its client by azp', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const noAzp = await server.idToken({ sub: server.users.alice, aud: ['rp', 'other'] });
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: noAzp }), jar), /names no single client/);
  const withAzp = await server.idToken({ sub: server.users.alice, aud: ['rp', 'other'], claims: { azp: 'rp' } });
  const answer = await server.get(server.logoutUrl({ id_token_hint: withAzp, post_logout_redirect_uri: SIGNED_OUT_URI }), jar);
  t.is(answer.location, SIGNED_OUT_URI);
  t.false(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — an id_token_hint for a client this server does not know is refused', async (t) => {
  const hint = await server.idToken({ sub: server.users.alice, aud: 'deleted-client' });
  assertRefused(t, await server.get(server.logoutUrl({ id_token_hint: hint })), /no longer knows/);
});

test('OIDC RP-Initiated Logout §2 — a malformed id_token_hint is refused with an error page, never a 500', async (t) => {
  for (const hint of ['not-a-jwt', 'a.b.c', `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.e30.`]) {
    const answer = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI }));
    t.is(answer.status, 400, hint);
    t.is(answer.location, null);
  }
});
