/**
 * Revocation racing use (RFC 7009 §2): requests already in flight may see the token either way,
 * but once the revocation has been answered, the token — and for a refresh token, its whole grant —
 * is refused, and nothing answers 5xx along the way.
 */
import test from 'ava';
import { basic, getWithBearer, post, type Answer } from './support/http.js';
import { refreshGrant, signedIn } from './support/grants.js';
import { sharedStacks } from './support/shared-stacks.js';
import type { Stack } from './support/stacks.js';

const forEachStack = await sharedStacks(test, { providerOptions: { throttle: false } });

function revoke(stack: Stack, token: string, hint?: string): Promise<Answer> {
  return post(stack.endpoint('revoke'), { token, ...(hint ? { token_type_hint: hint } : {}) }, {
    authorization: basic(stack.confidential.id, stack.confidential.secret),
  });
}

forEachStack('RFC 7009 §2.1 — an access token revoked amid guarded requests is refused by every request after the revocation', async (t, stack) => {
  const { accessToken } = await signedIn(stack);
  const me = () => getWithBearer(`${stack.origin}/api/me`, accessToken);
  const inFlight = Array.from({ length: 16 }, me);
  const revoked = await revoke(stack, accessToken, 'access_token');
  t.is(revoked.status, 200);
  const racing = await Promise.all(inFlight);
  t.true(racing.every((answer) => answer.status === 200 || answer.status === 401), 'in-flight requests see the token either way');
  const after = await Promise.all(Array.from({ length: 8 }, me));
  t.true(after.every((answer) => answer.status === 401 && /invalid_token/.test(answer.headers.get('www-authenticate') ?? '')));
});

forEachStack('RFC 7009 §2.1 — a refresh token revoked amid refreshes leaves no usable token of its grant', async (t, stack) => {
  for (let round = 0; round < 4; round += 1) {
    const { accessToken, refreshToken } = await signedIn(stack);
    const refreshes = Array.from({ length: 6 }, () => refreshGrant(stack, refreshToken));
    const revoked = await revoke(stack, refreshToken, 'refresh_token');
    const answers = await Promise.all(refreshes);
    t.is(revoked.status, 200);
    t.true(answers.every((answer) => answer.status === 200 || (answer.status === 400 && answer.json?.error === 'invalid_grant')));
    // Whatever the interleaving, the grant ends: its first tokens, and any a racing refresh obtained.
    const issued = [accessToken, ...answers.filter((answer) => answer.status === 200).map((answer) => answer.json.access_token as string)];
    for (const token of issued) {
      t.is((await getWithBearer(`${stack.origin}/api/me`, token)).status, 401, `round ${round}: access tokens of the grant are refused`);
    }
    const refreshTokens = [refreshToken, ...answers.filter((answer) => answer.status === 200).map((answer) => answer.json.refresh_token as string)];
    for (const token of refreshTokens) {
      t.is((await refreshGrant(stack, token)).status, 400, `round ${round}: refresh tokens of the grant are refused`);
    }
  }
});
