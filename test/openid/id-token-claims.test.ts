/**
 * The claims of the ID token the token endpoint answers an authorization code with (OIDC Core §2,
 * §3.1.3.3), verified as a relying party verifies it (§3.1.3.7): with `jose`, against the
 * provider's JWKS.
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { decodeProtectedHeader } from 'jose';
import { subjectFor } from '../../src/core/provider/openid/subject-identifier.js';
import { idTokenOf, ISSUER, SIGNED_IN, startIdTokenServer, type IdTokenServer } from './support/id-token-server.js';

const pairwiseSecret = randomBytes(32).toString('base64url');
let server: IdTokenServer;

test.before(async () => {
  server = await startIdTokenServer({ openid: { idTokenLifetime: 600, pairwiseSecret } });
});

test.after.always(() => server?.close());

/** The verified claims of the ID token a fresh code buys, of the default client unless `as` says. */
async function idTokenClaims(options: Parameters<IdTokenServer['issueCode']>[0] = {}, as?: { id: string; secret: string }) {
  const code = await server.issueCode({ ...options, ...(as ? { client: as } : {}) });
  const answer = await server.exchange(code, as);
  const { payload } = await server.verify(idTokenOf(answer), as ? { audience: as.id } : {});
  return payload;
}

test('OIDC Core §2 — an ID token names the provider\'s issuer identifier as iss', async (t) => {
  t.is((await idTokenClaims()).iss, ISSUER);
});

test('OIDC Core §2 — a public client\'s ID token names the user by the application\'s user id as sub', async (t) => {
  t.is((await idTokenClaims()).sub, server.user.id);
});

test('OIDC Core §8.1 — a pairwise client is told the subject derived for its sector, not the user id', async (t) => {
  const client = await server.createClient('pairwise-rp', { subjectType: 'pairwise' });
  const payload = await idTokenClaims({}, client);
  const record = (await server.storage.findClient(client.id))!;
  t.not(payload.sub, server.user.id);
  t.is(payload.sub, subjectFor(server.user.id, record, Buffer.from(pairwiseSecret, 'base64url')));
});

test('OIDC Core §3.1.3.7 — an ID token\'s aud is the client_id, as a single string', async (t) => {
  const payload = await idTokenClaims();
  t.is(payload.aud, server.client.id);
  t.is(typeof payload.aud, 'string');
});

test('OIDC Core §2 — azp is left out: the only audience is the client itself', async (t) => {
  t.false('azp' in (await idTokenClaims()));
});

test('OIDC Core §2 — iat is the provider\'s clock, in whole seconds', async (t) => {
  t.is((await idTokenClaims()).iat, Math.floor(server.clock.now().getTime() / 1000));
});

test('OIDC Core §2 — exp is iat plus openid.idTokenLifetime', async (t) => {
  const payload = await idTokenClaims();
  t.is(payload.exp! - payload.iat!, 600);
});

test('OIDC Core §2 — auth_time is when the user signed in, in seconds', async (t) => {
  t.is((await idTokenClaims()).auth_time, SIGNED_IN.authTime!.getTime() / 1000);
});

test('OIDC Core §2 — auth_time is left out when the sign-in time is not known', async (t) => {
  const payload = await idTokenClaims({ authentication: { authTime: null, acr: null, amr: null } });
  t.false('auth_time' in payload);
});

test('OIDC Core §2 — the nonce of the authorization request is the ID token\'s nonce', async (t) => {
  t.is((await idTokenClaims({ nonce: 'n-0S6_WzA2Mj' })).nonce, 'n-0S6_WzA2Mj');
});

test('OIDC Core §2 — an ID token has no nonce when the authorization request sent none', async (t) => {
  t.false('nonce' in (await idTokenClaims({ nonce: null })));
});

test('OIDC Core §2 — acr is the authentication context class of the sign-in', async (t) => {
  t.is((await idTokenClaims()).acr, 'urn:example:loa:2');
});

test('OIDC Core §2 — amr is a JSON array of the methods the user signed in with', async (t) => {
  t.deepEqual((await idTokenClaims()).amr, ['pwd', 'otp']);
});

test('OIDC Core §2 — acr and amr are left out when the sign-in names none', async (t) => {
  const payload = await idTokenClaims({ authentication: { authTime: SIGNED_IN.authTime, acr: null, amr: null } });
  t.false('acr' in payload);
  t.false('amr' in payload);
});

test('OIDC Core §5.4 — the code flow\'s ID token carries no profile claims: they are the userinfo endpoint\'s', async (t) => {
  const payload = await idTokenClaims();
  t.deepEqual(Object.keys(payload).sort(), ['acr', 'amr', 'at_hash', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'sub']);
});

test('OIDC Core §2 — the header names the signing key (kid) and typ JWT', async (t) => {
  const answer = await server.exchange(await server.issueCode());
  const header = decodeProtectedHeader(idTokenOf(answer));
  t.is(header.typ, 'JWT');
  const keys = (await (await fetch(`${server.origin}/auth/jwks`)).json()) as { keys: Array<{ kid: string; alg: string }> };
  t.true(keys.keys.some((key) => key.kid === header.kid && key.alg === header.alg));
});
