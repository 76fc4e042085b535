import test from 'ava';
import { createGuard } from '../../src/core/index.js';
import { get, issuedClientToken as issuedToken } from './fixture.js';

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
