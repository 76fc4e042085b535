/**
 * OpenID Connect from a certified relying-party library over real HTTP: panva's openid-client
 * drives the example server (`npm start`) through discovery, the authorization code flow with PKCE
 * and nonce, ID token validation — every check the library makes, the signature against the
 * published JWKS included (`enableNonRepudiationChecks`) — userinfo, a refresh with a new ID token,
 * `prompt=none` with and without a session, and RP-initiated logout. No ID-token check here is the
 * test's own: the library refuses what it would not accept. The test's requests are the browser's
 * alone (loading the page, signing in, following redirects); the transcript goes to the test log.
 */
import test from 'ava';
import * as client from 'openid-client';
import { Browser, Transcript } from '../openid/support/browser.js';
import { startOpenIdExample, type RunningOpenIdExample } from '../openid/support/example-openid-server.js';

let example: RunningOpenIdExample;
let config: client.Configuration;
const transcript = new Transcript();
const browser = new Browser(transcript);

test.before(async () => {
  example = await startOpenIdExample();
  config = await client.discovery(new URL(example.baseUrl), example.client.id, undefined, client.ClientSecretBasic(example.client.secret), {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: transcript.fetchFor('rp'),
  });
  config[client.customFetch] = transcript.fetchFor('rp');
  // The library verifies each ID token's signature with the keys at the discovered jwks_uri.
  client.enableNonRepudiationChecks(config);
});

test.after.always(async (t) => {
  t.log(`Transcript (rp: openid-client; browser: the test):\n${transcript.toString()}`);
  await example?.stop();
});

interface Started {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

async function authorizationRequest(extra: Record<string, string> = {}): Promise<Started> {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: example.client.redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state };
}

/** The user signs in on the page the authorization URL shows and approves; where the browser is sent. */
async function signIn(started: Started): Promise<URL> {
  const shown = await browser.visit(started.url);
  if (shown.location !== null) throw new Error(`the authorization endpoint redirected instead of showing its page: ${shown.location.href}`);
  const html = await shown.response.text();
  const { location } = await browser.submit(new URL('/auth/authorize', example.baseUrl).href, html, {
    username: example.user.username,
    password: example.user.password,
    decision: 'approve',
  });
  if (location === null) throw new Error('the sign-in page did not redirect');
  return location;
}

function exchange(callback: URL, started: Started) {
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedNonce: started.nonce,
    expectedState: started.state,
    idTokenExpected: true,
  });
}

let signedIn: Awaited<ReturnType<typeof exchange>>;

test.serial('OIDC Discovery §4 — openid-client discovers the server from its issuer and finds every endpoint the flow needs', (t) => {
  const metadata = config.serverMetadata();
  t.is(metadata.issuer, example.baseUrl);
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint'] as const) {
    t.true(typeof metadata[endpoint] === 'string', `${endpoint} is advertised`);
  }
  t.true(metadata.id_token_signing_alg_values_supported?.includes('RS256'), 'RS256 is offered (OIDC Core §15.1)');
});

test.serial('OIDC Core §3.1 — authorization code with PKCE and nonce: the ID token passes every check of openid-client, its signature against the JWKS included', async (t) => {
  const started = await authorizationRequest();
  signedIn = await exchange(await signIn(started), started);
  const claims = signedIn.claims();
  t.truthy(claims);
  t.is(claims?.iss, example.baseUrl);
  t.is(claims?.aud, example.client.id);
  t.is(claims?.nonce, started.nonce);
  t.is(typeof claims?.auth_time, 'number');
  t.truthy(signedIn.refresh_token);
});

test.serial('OIDC Core §5.3 — userinfo answers the access token with the same sub as the ID token, and the profile scope’s preferred_username', async (t) => {
  const sub = signedIn.claims()!.sub;
  const userinfo = await client.fetchUserInfo(config, signedIn.access_token, sub);
  t.is(userinfo.sub, sub);
  t.is(userinfo.preferred_username, example.user.username);
});

test.serial('OIDC Core §12.2 — a refresh returns a new ID token that openid-client accepts, with the original auth_time', async (t) => {
  const original = signedIn.claims()!;
  const refreshed = await client.refreshTokenGrant(config, signedIn.refresh_token!);
  const claims = refreshed.claims();
  t.truthy(claims, 'an ID token came with the refresh');
  t.is(claims?.sub, original.sub);
  t.is(claims?.auth_time, original.auth_time);
  t.is(claims?.nonce, undefined);
  signedIn = refreshed;
});

test.serial('OIDC Core §3.1.2.1 — prompt=none from a browser with a session and remembered consent gets a code without any page', async (t) => {
  const started = await authorizationRequest({ prompt: 'none' });
  const { location } = await browser.visit(started.url);
  t.truthy(location, 'redirected at once');
  const tokens = await exchange(location!, started);
  t.is(tokens.claims()?.sub, signedIn.claims()?.sub);
});

test.serial('OIDC Core §3.1.2.6 — prompt=none from a browser without a session is answered login_required, which openid-client reports', async (t) => {
  const stranger = new Browser(transcript);
  const started = await authorizationRequest({ prompt: 'none' });
  const { location } = await stranger.visit(started.url);
  t.truthy(location);
  const error = await t.throwsAsync(exchange(location!, started));
  t.is((error as client.AuthorizationResponseError).error, 'login_required');
});

test.serial('OIDC RP-Initiated Logout §2 — openid-client’s end-session URL with id_token_hint signs the browser out and returns it to the registered post-logout URI with state', async (t) => {
  const state = client.randomState();
  const postLogout = new URL('/demo/signed-out', example.baseUrl).href;
  const url = client.buildEndSessionUrl(config, { id_token_hint: signedIn.id_token!, post_logout_redirect_uri: postLogout, state });
  const { location } = await browser.visit(url);
  t.is(location?.origin + (location?.pathname ?? ''), postLogout);
  t.is(location?.searchParams.get('state'), state);
  const after = await authorizationRequest({ prompt: 'none' });
  const { location: refused } = await browser.visit(after.url);
  t.is(refused?.searchParams.get('error'), 'login_required', 'the session is gone');
});
