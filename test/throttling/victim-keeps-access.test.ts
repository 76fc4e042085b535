/**
 * Throttling that cannot be turned against the people it protects (RFC 6749 §10.10, RFC 6819
 * §4.4.3.6; docs/adr/0007-throttling-by-source.md). The attacker sends from 127.0.0.2, the victim
 * from 127.0.0.1: the attacker is throttled, the victim's right credentials work at once.
 */
import test from 'ava';
import type { OAuthProviderOptions } from '../../src/core/index.js';
import { openStack, type Stack } from '../reliability/support/stacks.js';
import { signInRequest } from './support/sign-in-request.js';
import { ATTACKER, basic, openSignIn, requestFrom, signIn, VICTIM } from './support/from-address.js';

async function stackWith(t: import('ava').ExecutionContext, providerOptions: OAuthProviderOptions = {}): Promise<Stack> {
  const stack = (await openStack({ provider: 'sql', backend: 'pglite' }, { authorizePage: true, providerOptions })) as Stack;
  t.teardown(() => stack.close());
  return stack;
}

const clientCredentials = (stack: Stack, from: string, secret: string) =>
  requestFrom(from, stack.endpoint('token'), {
    headers: { authorization: basic(stack.confidential.id, secret) },
    form: { grant_type: 'client_credentials', scope: 'read' },
  });

const passwordGrant = (stack: Stack, from: string, username: string, password: string) =>
  requestFrom(from, stack.endpoint('token'), {
    headers: { authorization: basic(stack.confidential.id, stack.confidential.secret) },
    form: { grant_type: 'password', username, password, scope: 'read' },
  });


test('RFC 6749 §10.10 — wrong secrets for a client id sent from one address never refuse the right secret from another', async (t) => {
  const stack = await stackWith(t, { throttle: { clients: { maxFailures: 5, windowSeconds: 60 } } });
  for (let i = 0; i < 8; i += 1) await clientCredentials(stack, ATTACKER, `wrong-${i}`);
  t.is((await clientCredentials(stack, ATTACKER, 'wrong-again')).status, 429, 'the attacker is throttled');
  const victim = await clientCredentials(stack, VICTIM, stack.confidential.secret);
  t.is(victim.status, 200, victim.text);
  const token = victim.json.access_token as string;
  const auth = { authorization: basic(stack.confidential.id, stack.confidential.secret) };
  t.is((await requestFrom(VICTIM, stack.endpoint('introspect'), { headers: auth, form: { token } })).json?.active, true);
  t.is((await requestFrom(VICTIM, stack.endpoint('revoke'), { headers: auth, form: { token } })).status, 200);
});

test('RFC 6749 §10.10 — client secrets are 256-bit random values: a right secret is accepted even from an address past its limit', async (t) => {
  const stack = await stackWith(t, { throttle: { clients: { maxFailures: 3, windowSeconds: 60 } } });
  for (let i = 0; i < 5; i += 1) await clientCredentials(stack, ATTACKER, 'wrong');
  t.is((await clientCredentials(stack, ATTACKER, 'wrong')).status, 429);
  t.is((await clientCredentials(stack, ATTACKER, stack.confidential.secret)).status, 200, 'no switch turns a client off');
});

test('RFC 6749 §10.10 — wrong passwords for a username posted from one address never refuse its owner signing in from another', async (t) => {
  const stack = await stackWith(t, { throttle: { users: { maxFailures: 5, windowSeconds: 300 } } });
  const { username, password } = stack.user;
  const attackerForm = await openSignIn(ATTACKER, stack.endpoint('authorize'), signInRequest(stack));
  for (let i = 0; i < 5; i += 1) t.is((await signIn(attackerForm, username, `wrong-${i}`)).status, 200, 'shown the form again');
  t.is((await signIn(attackerForm, username, password)).status, 429, 'the attacker is throttled, right password or not');
  const victimForm = await openSignIn(VICTIM, stack.endpoint('authorize'), signInRequest(stack));
  const signedIn = await signIn(victimForm, username, password);
  t.is(signedIn.status, 303, signedIn.text.slice(0, 300));
  t.regex(signedIn.headers.get('location') ?? '', /[?&]code=/);
});

test('RFC 6749 §10.10 — case variants of a username are one target for the attacker, and still never lock its owner out', async (t) => {
  const stack = await stackWith(t, { throttle: { users: { maxFailures: 4, windowSeconds: 300 } } });
  const { username, password } = stack.user;
  const form = await openSignIn(ATTACKER, stack.endpoint('authorize'), signInRequest(stack));
  for (const variant of [username.toUpperCase(), username, username.toUpperCase(), username]) await signIn(form, variant, 'wrong password');
  t.is((await signIn(form, username.toUpperCase(), 'wrong password')).status, 429);
  const victimForm = await openSignIn(VICTIM, stack.endpoint('authorize'), signInRequest(stack));
  t.is((await signIn(victimForm, username, password)).status, 303);
});

test('RFC 6749 §10.10 — wrong passwords on the password grant from one address never refuse its owner at another', async (t) => {
  const stack = await stackWith(t, { throttle: { users: { maxFailures: 3, windowSeconds: 300 } } });
  const { username, password } = stack.user;
  for (let i = 0; i < 3; i += 1) t.is((await passwordGrant(stack, ATTACKER, username, `wrong-${i}`)).status, 400);
  t.is((await passwordGrant(stack, ATTACKER, username, password)).status, 429);
  const victim = await passwordGrant(stack, VICTIM, username, password);
  t.is(victim.status, 200, victim.text);
});

test('RFC 6749 §10.10 — one password sprayed over many usernames from one address is throttled at that address alone', async (t) => {
  const stack = await stackWith(t, { throttle: { sources: { maxFailures: 10, windowSeconds: 900 } } });
  const form = await openSignIn(ATTACKER, stack.endpoint('authorize'), signInRequest(stack));
  const statuses: number[] = [];
  for (let i = 0; i < 14; i += 1) statuses.push((await signIn(form, `user-${i}`, 'Summer2026!')).status);
  t.deepEqual(statuses.slice(0, 10), Array(10).fill(200), 'ten wrong guesses are answered as such');
  t.deepEqual(statuses.slice(10), Array(4).fill(429), 'then the address is told to wait');
  const victimForm = await openSignIn(VICTIM, stack.endpoint('authorize'), signInRequest(stack));
  t.is((await signIn(victimForm, stack.user.username, stack.user.password)).status, 303);
});

test('RFC 6749 §10.10 — a username failing from many addresses is slowed, never locked: its owner still signs in', async (t) => {
  const stack = await stackWith(t, { throttle: { slowdown: { afterFailures: 4, windowSeconds: 900, stepMs: 20, maxDelayMs: 100 } } });
  const { username, password } = stack.user;
  for (let host = 2; host <= 11; host += 1) {
    const address = `127.0.0.${host}`;
    const form = await openSignIn(address, stack.endpoint('authorize'), signInRequest(stack));
    for (let i = 0; i < 2; i += 1) t.is((await signIn(form, username, `guess-${host}-${i}`)).status, 200);
  }
  const victimForm = await openSignIn(VICTIM, stack.endpoint('authorize'), signInRequest(stack));
  t.is((await signIn(victimForm, username, password)).status, 303, 'twenty failures from ten addresses lock nobody out');
});
