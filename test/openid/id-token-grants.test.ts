/**
 * Which token responses carry an ID token: the authorization-code grant of a request with the
 * `openid` scope (OIDC Core §3.1.3.3) and the refreshes of its grant (§12.2), nothing else.
 */
import test from 'ava';
import { credentialsOf } from '../../src/core/provider/provider-link.js';
import { idTokenOf, SIGNED_IN, startIdTokenServer, type IdTokenServer } from './support/id-token-server.js';

let server: IdTokenServer;
let withoutOpenId: IdTokenServer;

test.before(async () => {
  server = await startIdTokenServer();
  withoutOpenId = await startIdTokenServer({ openid: undefined });
});

test.after.always(async () => {
  await server?.close();
  await withoutOpenId?.close();
});

/** The refresh token of the grant a fresh code with the openid scope (and a nonce) buys, and its ID token's claims. */
async function codeGrant() {
  const answer = await server.exchange(await server.issueCode({ nonce: 'code-nonce' }));
  const { payload } = await server.verify(idTokenOf(answer));
  return { refreshToken: answer.json['refresh_token'] as string, idToken: payload };
}

// These move the clock, which every other test shares: they run first, one at a time, and put it back.
test.serial('OIDC Core §12.2 — a refresh answers a new ID token: same iss, sub and aud, a new iat', async (t) => {
  const first = await codeGrant();
  server.clock.advance(120);
  t.teardown(() => server.clock.advance(-120));
  const refreshed = await server.refresh(first.refreshToken);
  t.is(refreshed.status, 200);
  const { payload } = await server.verify(idTokenOf(refreshed));
  t.is(payload.iss, first.idToken.iss);
  t.is(payload.sub, first.idToken.sub);
  t.is(payload.aud, first.idToken.aud);
  t.is(payload.iat, first.idToken.iat! + 120);
});

test.serial('OIDC Core §12.2 — the ID token of a refresh names the original auth_time, not the time of the refresh', async (t) => {
  const first = await codeGrant();
  server.clock.advance(600);
  t.teardown(() => server.clock.advance(-600));
  const { payload } = await server.verify(idTokenOf(await server.refresh(first.refreshToken)));
  t.is(payload.auth_time, SIGNED_IN.authTime!.getTime() / 1000);
  t.is(payload.auth_time, first.idToken.auth_time);
});

test('OIDC Core §12.2 — the ID token of a refresh carries no nonce', async (t) => {
  const first = await codeGrant();
  t.is(first.idToken.nonce, 'code-nonce');
  const { payload } = await server.verify(idTokenOf(await server.refresh(first.refreshToken)));
  t.false('nonce' in payload);
});

test('OIDC Core §12.2 — a rotated refresh token keeps the authentication: its refresh names the same auth_time, acr and amr', async (t) => {
  const first = await codeGrant();
  const second = await server.refresh(first.refreshToken);
  const rotated = await credentialsOf(server.provider).findRefreshToken(second.json['refresh_token']);
  t.deepEqual({ authTime: rotated?.authTime, acr: rotated?.acr, amr: rotated?.amr }, SIGNED_IN);
  const { payload } = await server.verify(idTokenOf(await server.refresh(second.json['refresh_token'] as string)));
  t.is(payload.auth_time, first.idToken.auth_time);
  t.is(payload.acr, 'urn:example:loa:2');
  t.deepEqual(payload.amr, ['pwd', 'otp']);
});

test('OIDC Core §12.2 — the tokens a code buys keep the authentication the code recorded', async (t) => {
  const answer = await server.exchange(await server.issueCode());
  const issued = await credentialsOf(server.provider).findAccessToken(answer.json['access_token']);
  t.deepEqual({ authTime: issued?.authTime, acr: issued?.acr, amr: issued?.amr }, SIGNED_IN);
});

test('OIDC Core §3.1.2.1 — a code granted without the openid scope is answered without an ID token', async (t) => {
  const answer = await server.exchange(await server.issueCode({ scope: ['read'] }));
  t.is(answer.status, 200);
  t.false('id_token' in answer.json);
});

test('OIDC Core §12.2 — a refresh that narrows the scope to leave openid out is answered without an ID token', async (t) => {
  const { refreshToken } = await codeGrant();
  const refreshed = await server.token({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'read' });
  t.is(refreshed.status, 200);
  t.is(refreshed.json['scope'], 'read');
  t.false('id_token' in refreshed.json);
});

test('OIDC Core §3.1.3.3 — the client_credentials grant is never answered with an ID token, openid scope or not', async (t) => {
  const answer = await server.token({ grant_type: 'client_credentials', scope: 'openid read' });
  t.is(answer.status, 200);
  t.false('id_token' in answer.json);
});

test('OIDC Core §3.1.3.3 — the password grant and its refreshes are never answered with an ID token', async (t) => {
  const answer = await server.token({ grant_type: 'password', username: server.user.username, password: server.user.password, scope: 'openid read' });
  t.is(answer.status, 200);
  t.is(answer.json['scope'], 'openid read');
  t.false('id_token' in answer.json);
  const refreshed = await server.refresh(answer.json['refresh_token'] as string);
  t.is(refreshed.status, 200);
  t.false('id_token' in refreshed.json);
});

test('without the openid option, a code with the openid scope is answered as plain OAuth: no ID token', async (t) => {
  const answer = await withoutOpenId.exchange(await withoutOpenId.issueCode());
  t.is(answer.status, 200);
  t.is(answer.json['scope'], 'openid read');
  t.false('id_token' in answer.json);
});
