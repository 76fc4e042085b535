/** The `allowBearerTokensInQueryString` router option (RFC 6750 §2.3), end to end. */
import test from 'ava';
import type { OAuthGuardResult } from '../../src/core/index.js';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer } from './support/oauth-server.js';

test('RFC 6750 §2.3 — with allowBearerTokensInQueryString a token in the access_token query parameter is accepted', async (t) => {
  const server = await startE2eServer({ allowBearerTokensInQueryString: true });
  t.teardown(() => server.close());
  const { json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', scope: 'read' }, {
    authorization: basic(server.confidential.id, server.confidential.secret),
  });
  const response = await fetch(`${server.origin}/api/me?access_token=${encodeURIComponent(json.access_token)}`);
  t.is(response.status, 200);
  t.is(((await response.json()) as { oauth: OAuthGuardResult }).oauth.client.id, server.confidential.id);
});
