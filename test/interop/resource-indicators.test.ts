/**
 * Resource indicators (RFC 8707) from a certified third-party client over real HTTP: panva's
 * oauth4webapi discovers the server (RFC 8414), runs the authorization-code flow with PKCE — the
 * `resource` in the authorization request, the sign-in page, its own checks of the authorization
 * response (`state`, `iss`: RFC 9207) and a code exchange narrowed with `resource` — and the
 * client_credentials grant with `resource`. A resource server introspects the tokens with
 * oauth4webapi too, and reads their audience (`aud`, RFC 7662 §2.2).
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import * as oauth from 'oauth4webapi';
import { OAuthProvider } from '../../src/core/index.js';
import { authorizationPage, createOAuthRouter } from '../../src/koa/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { hiddenFieldsOf } from '../authorize/support/consent-form.js';
import type { ServedApp } from '../koa/support/http-server.js';
import { insecure, serveAndDiscover } from './support/discovered-server.js';

const CALENDAR = 'https://calendar.example/';
const CONTACTS = 'https://contacts.example/api';
const REDIRECT_URI = 'https://app.example/callback';
const PASSWORD = 'correct horse battery staple';

let served: ServedApp;
let as: oauth.AuthorizationServer;
/** The resource server: a confidential client allowed to introspect other clients' access tokens. */
let resourceServer: { client: oauth.Client; auth: oauth.ClientAuth };
let machine: { client: oauth.Client; auth: oauth.ClientAuth };

test.before(async () => {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('calendar.read', 'Read your calendar');
  await provider.resources.define({ id: CALENDAR, name: 'Calendar', scopes: ['calendar.read'] });
  await provider.resources.define({ id: CONTACTS, name: 'Contacts' });
  await provider.clients.create({
    id: 'planner',
    name: 'Planner',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['calendar.read'],
    confidential: false,
  });
  const reporting = await provider.clients.create({ id: 'reporting', name: 'Reporting', grants: ['client_credentials'], scopes: ['calendar.read'] });
  const introspecting = await provider.clients.create({
    id: 'calendar-api',
    name: 'Calendar API',
    grants: ['client_credentials'],
    scopes: ['calendar.read'],
    allowIntrospection: true,
  });
  await provider.users.create({ username: 'alice', password: PASSWORD });
  machine = { client: { client_id: 'reporting' }, auth: oauth.ClientSecretBasic(reporting.clientSecret ?? '') };
  resourceServer = { client: { client_id: 'calendar-api' }, auth: oauth.ClientSecretBasic(introspecting.clientSecret ?? '') };

  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const router = createOAuthRouter({ provider, server, authorize: authorizationPage({ provider }) });
  ({ served, as } = await serveAndDiscover(router));
});

test.after.always(() => served?.close());

/** The audience the resource server learns by introspecting `token` with oauth4webapi. */
async function audienceOf(token: string): Promise<unknown> {
  const { client, auth } = resourceServer;
  const introspection = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, insecure));
  if (!introspection.active) throw new Error('the token is not active');
  return introspection.aud;
}

/** Signs alice in on the page the authorization URL shows and approves; returns the redirect. */
async function approve(authorizationUrl: URL): Promise<URL> {
  const shown = await fetch(authorizationUrl, { redirect: 'manual' });
  if (shown.status !== 200) throw new Error(`the authorization page answered ${shown.status}`);
  const cookie = shown.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const fields: Array<[string, string]> = [...hiddenFieldsOf(await shown.text()), ['username', 'alice'], ['password', PASSWORD], ['decision', 'approve']];
  const decided = await fetch(as.authorization_endpoint!, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie }, redirect: 'manual' });
  return new URL(decided.headers.get('location') ?? '');
}

test('RFC 8707 §2.1 — oauth4webapi’s authorization-code flow with PKCE gets a code for the resources it names, and narrows the token with resource', async (t) => {
  const client: oauth.Client = { client_id: 'planner' };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const authorizationUrl = new URL(as.authorization_endpoint!);
  authorizationUrl.search = new URLSearchParams([
    ['response_type', 'code'],
    ['client_id', client.client_id],
    ['redirect_uri', REDIRECT_URI],
    ['scope', 'calendar.read'],
    ['state', state],
    ['code_challenge', await oauth.calculatePKCECodeChallenge(verifier)],
    ['code_challenge_method', 'S256'],
    ['resource', CALENDAR],
    ['resource', CONTACTS],
  ]).toString();

  // oauth4webapi checks state and, as the metadata announces it, iss (RFC 9207).
  const callback = oauth.validateAuthResponse(as, client, await approve(authorizationUrl), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, REDIRECT_URI, verifier, {
    ...insecure,
    additionalParameters: { resource: CALENDAR },
  });
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  t.is(tokens.scope, 'calendar.read');
  t.is(await audienceOf(tokens.access_token), CALENDAR);
});

test('RFC 8707 §2.2 — oauth4webapi’s client_credentials request with resource gets a token for those resources, and one it may not have is invalid_target', async (t) => {
  const { client, auth } = machine;
  const parameters = new URLSearchParams([
    ['scope', 'calendar.read'],
    ['resource', CALENDAR],
    ['resource', CONTACTS],
  ]);
  const tokens = await oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, parameters, insecure));
  t.deepEqual(await audienceOf(tokens.access_token), [CALENDAR, CONTACTS]);

  const refused = oauth
    .clientCredentialsGrantRequest(as, client, auth, { scope: 'calendar.read', resource: 'https://unknown.example/' }, insecure)
    .then((answer) => oauth.processClientCredentialsResponse(as, client, answer));
  const error = await t.throwsAsync(refused, { instanceOf: oauth.ResponseBodyError });
  t.is(error?.error, 'invalid_target');
  t.is(error?.status, 400);
});
