/**
 * The guard reads only the bearer token's own parameter, `access_token` (RFC 6750 §2.2, §2.3): the
 * query and body of a protected resource belong to its API, whose parameters may repeat or hold
 * any JSON, and are none of the guard's business.
 */
import test from 'ava';
import { createGuard } from '../../src/core/index.js';
import { get, issuedClientToken as issuedToken } from './fixture.js';

test('RFC 6750 §2 — a repeated query parameter of the API does not refuse a request with a valid Bearer header', async (t) => {
  const { provider, accessToken } = await issuedToken();
  const request = get({ authorization: `Bearer ${accessToken}` });
  const outcome = await createGuard({ provider }).check({ ...request, query: { tag: ['a', 'b'] } });
  t.true(outcome.ok);
});

test('RFC 6750 §2 — a JSON body with arrays and numbers does not refuse a request with a valid Bearer header', async (t) => {
  const { provider, accessToken } = await issuedToken();
  const request = get({ authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'content-length': '40' });
  const outcome = await createGuard({ provider }).check({ ...request, method: 'POST', body: { tags: ['a', 'b'], count: 2, nested: { access_token: 'x' } } });
  t.true(outcome.ok);
});

test('RFC 6750 §2.2 — a repeated access_token form parameter is refused 400 invalid_request', async (t) => {
  const { provider, accessToken } = await issuedToken();
  const request = get({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': '40' });
  const outcome = await createGuard({ provider }).check({ ...request, method: 'POST', body: { access_token: [accessToken, 'forged'] } });
  t.false(outcome.ok);
  if (!outcome.ok) {
    t.is(outcome.response.status, 400);
    t.regex(outcome.response.headers['www-authenticate'] ?? '', /error="invalid_request"/);
  }
});

test('RFC 6750 §2.2 — an access_token body value that is not a string is refused 400 invalid_request', async (t) => {
  const { provider } = await issuedToken();
  const request = get({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': '40' });
  const outcome = await createGuard({ provider }).check({ ...request, method: 'POST', body: { access_token: { forged: true } } });
  t.false(outcome.ok);
  if (!outcome.ok) t.is(outcome.response.status, 400);
});
