import test from 'ava';
import { createAuthController, createGuard } from '../../src/core/index.js';
import { basic, failableProvider, get, post } from './fixture.js';

async function issuedToken() {
  const { provider, server } = failableProvider();
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({ name: 'c', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });
  const controller = createAuthController({ server, provider });
  const response = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: basic(client.id, clientSecret!) }));
  return { server, accessToken: (response.body as { access_token: string }).access_token };
}

test('RFC 6750 §2.3 — a bearer token in the query string is refused by default', async (t) => {
  const { server, accessToken } = await issuedToken();
  const outcome = await createGuard({ server }).check(get({}, { access_token: accessToken }));
  t.false(outcome.ok);
  if (!outcome.ok) t.is(outcome.response.status, 400);
});

test('RFC 6750 §2.3 — allowBearerTokensInQueryString lets a query-string token through', async (t) => {
  const { server, accessToken } = await issuedToken();
  const outcome = await createGuard({ server, allowBearerTokensInQueryString: true }).check(get({}, { access_token: accessToken }));
  t.true(outcome.ok);
});

test('RFC 6750 §2 — a token sent two ways at once is refused with 400 invalid_request', async (t) => {
  const { server, accessToken } = await issuedToken();
  const guard = createGuard({ server, allowBearerTokensInQueryString: true });
  const outcome = await guard.check(get({ authorization: `Bearer ${accessToken}` }, { access_token: accessToken }));
  t.false(outcome.ok);
  if (!outcome.ok) {
    t.is(outcome.response.status, 400);
    t.regex(outcome.response.headers['www-authenticate'] ?? '', /error="invalid_request"/);
  }
});

test('RFC 6750 §3.1 — a repeated access_token query parameter is refused with 400', async (t) => {
  const { server, accessToken } = await issuedToken();
  const guard = createGuard({ server, allowBearerTokensInQueryString: true });
  const outcome = await guard.check({ method: 'GET', headers: {}, query: { access_token: [accessToken, accessToken] }, body: {} });
  t.true(!outcome.ok && outcome.response.status === 400);
});
