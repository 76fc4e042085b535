/**
 * A certified third-party client against the kit over real HTTP: panva's oauth4webapi, with its own
 * `ClientSecretBasic` client authentication and its own request functions, discovers the server
 * from its RFC 8414 metadata and uses the token (client credentials grant), revocation (RFC 7009)
 * and introspection (RFC 7662) endpoints. oauth4webapi form-urlencodes the client id and secret
 * before Basic (RFC 6749 §2.3.1) and escapes every character but letters and digits
 * (`billing%2Dapi%2Ev2%5Feu%7E1`), so these pass only if the server decodes them.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import * as oauth from 'oauth4webapi';
import { OAuthProvider } from '../../src/core/index.js';
import { createOAuthRouter } from '../../src/koa/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import type { ServedApp } from '../koa/support/http-server.js';
import { insecure, serveAndDiscover } from './support/discovered-server.js';

/** An id with every unreserved character (RFC 3986 §2.3) that is not a letter or digit. */
const CLIENT_ID = 'billing-api.v2_eu~1';

let served: ServedApp;
let provider: OAuthProvider;
let as: oauth.AuthorizationServer;
let secret: string;
/** A second client, refused with wrong secrets, so that its failed attempts throttle no other test. */
const WRONG_ID = 'audit-log.reader_3~z';


test.before(async () => {
  provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('read', 'Read access');
  const created = await provider.clients.create({ id: CLIENT_ID, name: 'Billing', grants: ['client_credentials'], scopes: ['read'] });
  secret = created.clientSecret ?? '';
  const router = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }) });
  ({ served, as } = await serveAndDiscover(router));
});

test.after.always(() => served?.close());

const client = (id = CLIENT_ID): oauth.Client => ({ client_id: id });

async function clientCredentialsToken(clientSecret: string): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.clientCredentialsGrantRequest(as, client(), oauth.ClientSecretBasic(clientSecret), { scope: 'read' }, insecure);
  return oauth.processClientCredentialsResponse(as, client(), response);
}

/** The OAuth error code of a refusal, as oauth4webapi reports it (a challenge or a body error). */
async function errorCodeOf(failure: Promise<unknown>): Promise<string | undefined> {
  try {
    await failure;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return error.error;
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      return ((await error.response.json()) as { error?: string }).error;
    }
    throw error;
  }
  return undefined;
}

test('RFC 8414 §3 — oauth4webapi discovers the token, revocation and introspection endpoints', (t) => {
  t.is(new URL(as.issuer).href, new URL(served.origin).href);
  t.truthy(as.token_endpoint);
  t.truthy(as.revocation_endpoint);
  t.truthy(as.introspection_endpoint);
  t.true(as.token_endpoint_auth_methods_supported?.includes('client_secret_basic'));
});

test('RFC 6749 §2.3.1 — oauth4webapi’s ClientSecretBasic gets a token, introspects it and revokes it for a client id with - . _ ~', async (t) => {
  const token = await clientCredentialsToken(secret);
  t.is(token.token_type, 'bearer');
  t.is(token.scope, 'read');

  const introspection = await oauth.processIntrospectionResponse(
    as,
    client(),
    await oauth.introspectionRequest(as, client(), oauth.ClientSecretBasic(secret), token.access_token, insecure),
  );
  t.true(introspection.active);
  t.is(introspection.client_id, CLIENT_ID);

  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client(), oauth.ClientSecretBasic(secret), token.access_token, insecure),
  );
  const after = await oauth.processIntrospectionResponse(
    as,
    client(),
    await oauth.introspectionRequest(as, client(), oauth.ClientSecretBasic(secret), token.access_token, insecure),
  );
  t.false(after.active);
});

test('RFC 6749 §5.2 — oauth4webapi with a wrong secret is refused invalid_client at the token, revocation and introspection endpoints', async (t) => {
  const created = await provider.clients.create({ id: WRONG_ID, name: 'Audit', grants: ['client_credentials'], scopes: ['read'] });
  const wrong = oauth.ClientSecretBasic(`${created.clientSecret}-wrong`);
  const audit = client(WRONG_ID);
  t.is(
    await errorCodeOf(
      oauth
        .clientCredentialsGrantRequest(as, audit, wrong, { scope: 'read' }, insecure)
        .then((response) => oauth.processClientCredentialsResponse(as, audit, response)),
    ),
    'invalid_client',
  );
  t.is(await errorCodeOf(oauth.revocationRequest(as, audit, wrong, 'some-token', insecure).then(oauth.processRevocationResponse)), 'invalid_client');
  t.is(
    await errorCodeOf(
      oauth.introspectionRequest(as, audit, wrong, 'some-token', insecure).then((response) => oauth.processIntrospectionResponse(as, audit, response)),
    ),
    'invalid_client',
  );
});

test('RFC 6749 §2.3.1 — a secret with - or _, which oauth4webapi percent-encodes, authenticates', async (t) => {
  // A client of its own: the tests of a file run concurrently, and rotation replaces the secret.
  const id = 'ledger-sync_2.eu~x';
  await provider.clients.create({ id, name: 'Ledger', grants: ['client_credentials'], scopes: ['read'] });
  // The kit's secrets are base64url: rotate until one has a character form-urlencoding changes.
  let rotated = '';
  for (let attempt = 0; attempt < 100 && !/[-_]/.test(rotated); attempt += 1) {
    rotated = (await provider.clients.rotateSecret(id))!.clientSecret;
  }
  t.regex(rotated, /[-_]/);
  const auth = oauth.ClientSecretBasic(rotated);
  const token = await oauth.processClientCredentialsResponse(
    as,
    client(id),
    await oauth.clientCredentialsGrantRequest(as, client(id), auth, { scope: 'read' }, insecure),
  );
  t.truthy(token.access_token);
  const introspection = await oauth.processIntrospectionResponse(
    as,
    client(id),
    await oauth.introspectionRequest(as, client(id), auth, token.access_token, insecure),
  );
  t.true(introspection.active);
  await t.notThrowsAsync(oauth.revocationRequest(as, client(id), auth, token.access_token, insecure).then(oauth.processRevocationResponse));
});
