/**
 * Routes guarded without a resource, over real HTTP: they admit only tokens asked for no resource,
 * so that a token a client obtained for another API of the same authorization server is not
 * replayed here (RFC 8707 §2, RFC 9700 §4.10); `acceptAnyAudience` is the explicit way out.
 */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

const CALENDAR = 'https://calendar.example/';

let fixture: E2eFixture;
let authorization: string;

test.before(async () => {
  fixture = await startE2eServer();
  await fixture.provider.resources.define({ id: CALENDAR, name: 'Calendar' });
  authorization = basic(fixture.confidential.id, fixture.confidential.secret);
});

test.after.always(() => fixture?.close());

/** A client_credentials access token of the confidential client, asked for `resource` if given. */
async function accessToken(resource?: string): Promise<string> {
  const { status, json } = await postTo(fixture.endpoint('token'), { grant_type: 'client_credentials', ...(resource === undefined ? {} : { resource }) }, { authorization });
  if (status !== 200) throw new Error(`the token endpoint answered ${status}`);
  return json.access_token as string;
}

const get = (path: string, token: string) => fetch(`${fixture.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });

test('RFC 8707 §2 — a guard bound to no resource refuses a token issued for a resource: 401 invalid_token saying it was issued for another resource', async (t) => {
  const response = await get('/api/me', await accessToken(CALENDAR));
  t.is(response.status, 401);
  t.is(
    response.headers.get('www-authenticate'),
    'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token was issued for another resource"',
  );
  t.is(((await response.json()) as { error: string }).error, 'invalid_token');
});

test('RFC 8707 §2 — a guard bound to no resource admits a token asked for no resource', async (t) => {
  const response = await get('/api/me', await accessToken());
  t.is(response.status, 200);
  t.deepEqual(((await response.json()) as { oauth: { audience: string[] } }).oauth.audience, []);
});

test('RFC 8707 §2 — a route guarded with acceptAnyAudience admits a token issued for a resource, and reports its audience', async (t) => {
  const response = await get('/api/gateway', await accessToken(CALENDAR));
  t.is(response.status, 200);
  t.deepEqual(((await response.json()) as { oauth: { audience: string[] } }).oauth.audience, [CALENDAR]);
  t.is((await get('/api/gateway', await accessToken())).status, 200, 'and a token asked for none');
});
