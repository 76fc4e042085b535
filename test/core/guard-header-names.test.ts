/**
 * The guard reads only the headers a bearer token depends on, by their lower-case names as Node
 * gives them, and by any case for an adapter that keeps names as sent (RFC 9110 §5.1: field names
 * are case-insensitive).
 */
import test from 'ava';
import { createGuard } from '../../src/core/index.js';
import { get, issuedClientToken as issuedToken } from './fixture.js';

test('RFC 9110 §5.1 — an Authorization header named in another case beside lower-case ones still authenticates', async (t) => {
  const { provider, accessToken } = await issuedToken();
  const outcome = await createGuard({ provider }).check(get({ Authorization: `Bearer ${accessToken}`, 'content-length': '0' }));
  t.true(outcome.ok);
});

test('RFC 6750 §2.1 — a repeated header the guard does not read does not refuse the request', async (t) => {
  const { provider, accessToken } = await issuedToken();
  const request = get({ authorization: `Bearer ${accessToken}` });
  const outcome = await createGuard({ provider }).check({ ...request, headers: { ...request.headers, 'x-forwarded-for': ['10.0.0.1', '10.0.0.2'] } });
  t.true(outcome.ok);
});
