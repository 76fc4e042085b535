/**
 * What a throttled caller is told (RFC 6585 §4, RFC 9110 §10.2.3, RFC 6749 §5.2): 429 with
 * `Retry-After`, a code the token endpoint may answer with, and on the sign-in page a message that
 * says to wait — never "wrong password" for an attempt that was not checked.
 */
import test from 'ava';
import type { OAuthProviderOptions } from '../../src/core/index.js';
import { AUTHORIZATION_MESSAGES } from '../../src/core/index.js';
import { openStack, type Stack } from '../reliability/support/stacks.js';
import { signInRequest } from './support/sign-in-request.js';
import { ATTACKER, basic, openSignIn, requestFrom, signIn } from './support/from-address.js';

async function stackWith(t: import('ava').ExecutionContext, providerOptions: OAuthProviderOptions): Promise<Stack> {
  const stack = (await openStack({ provider: 'sql', backend: 'pglite' }, { authorizePage: true, providerOptions })) as Stack;
  t.teardown(() => stack.close());
  return stack;
}

test('RFC 6585 §4, RFC 6749 §5.2 — past its client limit an address gets 429 invalid_client with Retry-After and no Basic challenge', async (t) => {
  const stack = await stackWith(t, { throttle: { clients: { maxFailures: 2, windowSeconds: 60 } } });
  const attempt = () =>
    requestFrom(ATTACKER, stack.endpoint('token'), {
      headers: { authorization: basic(stack.confidential.id, 'wrong') },
      form: { grant_type: 'client_credentials' },
    });
  t.is((await attempt()).status, 401);
  t.is((await attempt()).status, 401);
  const refused = await attempt();
  t.is(refused.status, 429);
  t.is(refused.json?.error, 'invalid_client');
  t.regex(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  t.is(refused.headers.get('www-authenticate'), null);
  t.is(refused.headers.get('cache-control'), 'no-store');
});

test('RFC 6585 §4, RFC 6749 §5.2 — a password attempt refused unchecked is 429 invalid_request with Retry-After, not invalid_grant', async (t) => {
  const stack = await stackWith(t, { throttle: { users: { maxFailures: 1, windowSeconds: 120 } } });
  const attempt = (password: string) =>
    requestFrom(ATTACKER, stack.endpoint('token'), {
      headers: { authorization: basic(stack.confidential.id, stack.confidential.secret) },
      form: { grant_type: 'password', username: stack.user.username, password, scope: 'read' },
    });
  t.is((await attempt('wrong')).json?.error, 'invalid_grant');
  const refused = await attempt(stack.user.password);
  t.is(refused.status, 429);
  t.is(refused.json?.error, 'invalid_request');
  const retryAfter = Number(refused.headers.get('retry-after'));
  t.true(retryAfter >= 1 && retryAfter <= 120, String(retryAfter));
});

test('RFC 6585 §4 — the sign-in page tells a throttled person to wait (429, Retry-After), never "wrong password"', async (t) => {
  const stack = await stackWith(t, { throttle: { users: { maxFailures: 1, windowSeconds: 60 } } });
  const form = await openSignIn(ATTACKER, stack.endpoint('authorize'), signInRequest(stack));
  const wrong = await signIn(form, stack.user.username, 'wrong');
  t.true(wrong.text.includes(AUTHORIZATION_MESSAGES.wrongCredentials));
  const throttled = await signIn(form, stack.user.username, stack.user.password);
  t.is(throttled.status, 429);
  t.regex(throttled.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  t.regex(throttled.text, /Too many attempts\. Try again in \d+ seconds\./);
  t.false(throttled.text.includes(AUTHORIZATION_MESSAGES.wrongCredentials));
});

test('throttle: false counts nothing and refuses nothing', async (t) => {
  const stack = await stackWith(t, { throttle: false });
  for (let i = 0; i < 30; i += 1) {
    const answer = await requestFrom(ATTACKER, stack.endpoint('token'), {
      headers: { authorization: basic(stack.confidential.id, 'wrong') },
      form: { grant_type: 'client_credentials' },
    });
    t.is(answer.status, 401);
  }
});

test('X-Forwarded-For is not the source unless the application trusts its proxy (app.proxy)', async (t) => {
  const stack = await stackWith(t, { throttle: { clients: { maxFailures: 2, windowSeconds: 60 } } });
  // Each attempt claims another address; without app.proxy they are all the attacker's own.
  const statuses: number[] = [];
  for (let i = 0; i < 4; i += 1) {
    const answer = await requestFrom(ATTACKER, stack.endpoint('token'), {
      headers: { authorization: basic(stack.confidential.id, 'wrong'), 'x-forwarded-for': `203.0.113.${i}` },
      form: { grant_type: 'client_credentials' },
    });
    statuses.push(answer.status);
  }
  t.deepEqual(statuses, [401, 401, 429, 429]);
});
