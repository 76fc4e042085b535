/**
 * The JWT guard against oauth2-kit's own authorization server signing JWT access tokens with
 * RS256 (RFC 7518 §3.3), over HTTP: admitted when the guard's `algorithms` names RS256, refused by
 * the default list (ES256, EdDSA), whose keys the issuer does not sign with.
 */
import test, { type ExecutionContext } from 'ava';
import { createJwtGuard, type JwtGuardOptions, type OAuthHttpRequest } from '../../src/core/index.js';
import { createTestClock } from '../../src/testing/index.js';
import { NOTES, startIssuingServer } from '../resource-server/support/issuing-server.js';

async function rs256World(t: ExecutionContext, options: Partial<JwtGuardOptions> = {}) {
  const clock = createTestClock();
  const as = await startIssuingServer({ clock, algorithm: 'RS256' });
  t.teardown(() => as.close());
  return { as, guard: createJwtGuard({ issuer: as.issuer, resource: NOTES, now: clock.now, ...options }) };
}

const request = (token: string): OAuthHttpRequest => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });

test('RFC 7518 §3.3, RFC 9068 §4 — a JWT the server signed with RS256 is admitted by a guard whose algorithms name RS256', async (t) => {
  const { as, guard } = await rs256World(t, { algorithms: ['RS256'] });
  const token = await as.clientToken(NOTES);
  t.is((JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string }).alg, 'RS256');
  const outcome = await guard.check(request(token));
  t.true(outcome.ok);
});

test('RFC 9068 §4 — a JWT signed with RS256 is refused by a guard with the default algorithms (ES256, EdDSA)', async (t) => {
  const { as, guard } = await rs256World(t);
  const outcome = await guard.check(request(await as.clientToken(NOTES)));
  t.false(outcome.ok);
  t.is(!outcome.ok && outcome.response.status, 401);
});
