/**
 * `id_token_hint` in the authorization request (OIDC Core §3.1.2.1): only an ID token this
 * provider issued to the client counts, and then only the End-User it names is signed in, by
 * session or by password. Real HTTP against the built-in page; each cookie jar is one browser.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import test from 'ava';
import { SignJWT, type JWTPayload } from 'jose';
import { credentialsOf } from '../../src/core/provider/provider-link.js';
import {
  codeCount,
  codeOf,
  CookieJar,
  ISSUER,
  open,
  signInAndApprove,
  startOpenIdPageServer,
  submit,
  type OpenIdPageServer,
  type Visit,
} from './support/openid-page-server.js';

let server: OpenIdPageServer;
test.before(async () => {
  server = await startOpenIdPageServer();
});
// The tests that count codes run serially (ava runs them before the others): nothing else issues one meanwhile.
test.after.always(async () => {
  await server?.close();
});

interface SigningKey {
  privateKey: KeyObject;
  alg: string;
  kid: string;
}

/** The provider's current signing key, as the token endpoint signs ID tokens with it. */
async function providerKey(): Promise<SigningKey> {
  const ring = credentialsOf(server.provider).keyRing;
  if (ring === null) throw new Error('the provider keeps no signing keys');
  const { key, privateKey } = await ring.signingKey(server.provider.now());
  return { privateKey, alg: key.publicJwk.alg, kid: key.record.id };
}

/** An ID token for `sub` at client `rp` (public subjects: the user's id), signed by the provider unless `key` is given. */
async function idToken(sub: string, options: { claims?: JWTPayload; key?: SigningKey } = {}): Promise<string> {
  const now = Math.floor(server.provider.now().getTime() / 1000);
  const key = options.key ?? (await providerKey());
  return new SignJWT({ iss: ISSUER, sub, aud: 'rp', iat: now, exp: now + 3600, ...options.claims })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
    .sign(key.privateKey);
}

/** A browser in which `user` signed in (and approved `openid read`, remembered). */
async function signedInBrowser(user: { username: string; password: string }): Promise<CookieJar> {
  const jar = new CookieJar();
  const answer = await signInAndApprove(server, jar, user);
  if (answer.redirect?.get('code') === undefined || answer.redirect?.get('code') === null) throw new Error('the sign-in did not approve');
  return jar;
}

/** The request is redirected back with `error`, `state` and `iss`, and no code. */
function assertRedirectedWith(t: import('ava').ExecutionContext, answer: Visit, error: string): void {
  t.is(answer.status, 302);
  t.is(answer.redirect?.get('error'), error);
  t.is(answer.redirect?.get('state'), 'st-1');
  t.is(answer.redirect?.get('iss'), ISSUER);
  t.false(answer.redirect?.has('code'));
}

test('OIDC Core §3.1.2.1 — with prompt=none, a hint naming the signed-in user gets a code for that user', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: await idToken(server.alice.id) }));
  t.is(answer.status, 302);
  t.is(answer.redirect?.get('state'), 'st-1');
  t.is((await codeOf(server, answer.redirect?.get('code')))?.user_id, server.alice.id);
});

test.serial('OIDC Core §3.1.2.1 — with prompt=none, a hint naming another user than the session’s is login_required', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const before = await codeCount(server);
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: await idToken(server.bob.id) }));
  assertRedirectedWith(t, answer, 'login_required');
  t.is(await codeCount(server), before);
});

test('OIDC Core §3.1.2.1 — a hint whose signature does not verify is invalid_request', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const [header, , signature] = (await idToken(server.bob.id)).split('.');
  // bob's token with alice's subject in it: the provider's signature no longer covers the claims.
  const now = Math.floor(server.provider.now().getTime() / 1000);
  const claims = Buffer.from(JSON.stringify({ iss: ISSUER, sub: server.alice.id, aud: 'rp', iat: now, exp: now + 3600 })).toString('base64url');
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: `${header}.${claims}.${signature}` }));
  assertRedirectedWith(t, answer, 'invalid_request');
  t.regex(answer.redirect?.get('error_description') ?? '', /id_token_hint/);
});

test('OIDC Core §3.1.2.1 — a hint signed by a key this provider does not publish is invalid_request', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const { kid } = await providerKey();
  // The provider's kid on a key it never had.
  const foreign: SigningKey = { privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, alg: 'ES256', kid };
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: await idToken(server.alice.id, { key: foreign }) }));
  assertRedirectedWith(t, answer, 'invalid_request');
});

test('OIDC Core §3.1.2.1 — a hint issued by another issuer is invalid_request', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const hint = await idToken(server.alice.id, { claims: { iss: 'https://attacker.example' } });
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: hint }));
  assertRedirectedWith(t, answer, 'invalid_request');
});

test('OIDC Core §3.1.2.1 — a hint issued to another client is invalid_request', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const hint = await idToken(server.alice.id, { claims: { aud: 'other-rp' } });
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: hint }));
  assertRedirectedWith(t, answer, 'invalid_request');
  t.regex(answer.redirect?.get('error_description') ?? '', /another client/);
});

test('OIDC Core §3.1.2.1 — an expired hint still identifies the End-User', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const now = Math.floor(server.provider.now().getTime() / 1000);
  const hint = await idToken(server.alice.id, { claims: { iat: now - 7200, exp: now - 3600 } });
  const answer = await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: hint }));
  t.is((await codeOf(server, answer.redirect?.get('code')))?.user_id, server.alice.id);
  // …and it still names whom: another user's expired hint is no sign-in for alice.
  const bobs = await idToken(server.bob.id, { claims: { iat: now - 7200, exp: now - 3600 } });
  assertRedirectedWith(t, await open(jar, server.authorizeUrl({ prompt: 'none', id_token_hint: bobs })), 'login_required');
});

test.serial('OIDC Core §3.1.2.1 — without prompt=none, a hint for another user asks to sign in, refuses the wrong user and accepts the hinted one', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const page = await open(jar, server.authorizeUrl({ id_token_hint: await idToken(server.bob.id) }));
  t.is(page.status, 200);
  t.regex(page.html, /type="password"/, 'the password form, not "signed in as alice"');
  t.notRegex(page.html, /Signed in as/);

  const before = await codeCount(server);
  const wrong = await submit(server, jar, page, { username: server.alice.username, password: server.alice.password, decision: 'approve' });
  t.is(wrong.status, 200, 'alice is asked again, not sent back with a code');
  t.regex(wrong.html, /role="alert"[^>]*>The application asked for another account/);
  t.is(await codeCount(server), before);

  const right = await submit(server, jar, wrong, { username: server.bob.username, password: server.bob.password, decision: 'approve' });
  t.is(right.status, 303);
  t.is((await codeOf(server, right.redirect?.get('code')))?.user_id, server.bob.id);
});
